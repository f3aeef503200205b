// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX, createNodeResolver } from 'eslint-plugin-import-x';

const src = 'packages/server/src';

/**
 * The server's folders and what each may import: the folder-level dependency graph, acyclic (each
 * folder names only folders listed before it). The README in each folder says the same in words.
 */
const LAYERS = {
  common: [],
  config: [],
  reference: ['common'],
  data: ['common'],
  import: ['common', 'data', 'reference'],
  seed: ['import'],
  extract: ['common', 'import', 'reference'],
  modules: ['common', 'data', 'import', 'reference'],
  observability: ['config'],
  database: ['common', 'config', 'data', 'modules', 'observability'],
  export: ['common', 'data', 'import', 'modules'],
  read: ['common', 'data', 'import', 'modules', 'reference'],
  playground: [],
  http: ['common', 'config', 'database', 'import', 'observability', 'playground'],
  scale: ['common', 'config', 'http', 'observability'],
  graphql: ['common', 'config', 'data', 'database', 'http', 'modules', 'observability', 'read'],
};
/** Folders that make up the data layer: they speak no GraphQL. */
const DATA_LAYER = ['database', 'data', 'import', 'export', 'extract', 'reference', 'seed'];

// The benchmark is its own npm package (PostGraphile 5 declares Node 22): `npm run lint:bench`
// installs it and lints it with JOINTLY_LINT_BENCH=1; `npm run lint` covers the product.
const lintBench = process.env.JOINTLY_LINT_BENCH === '1';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'packages/client/src/generated/**', '**/*.mjs', '**/*.js', ...(lintBench ? [] : ['bench/**'])] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })],
    },
    languageOptions: {
      parserOptions: {
        project: ['packages/*/tsconfig.json', 'packages/server/test/tsconfig.json', ...(lintBench ? ['bench/tsconfig.json'] : [])],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // One import statement per module (a type-only import beside it allowed).
      'import-x/no-duplicates': ['error', { 'prefer-inline': false }],
      // No module imports itself through others (type-only imports are erased and allowed).
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' },
      ],
    },
  },
  {
    // The layers: a folder imports only the folders LAYERS gives it (its unit tests may reach further).
    files: [`${src}/**/*.ts`],
    ignores: ['**/*.spec.ts'],
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: Object.entries(LAYERS).map(([folder, allowed]) => ({
            target: `${src}/${folder}`,
            from: Object.keys(LAYERS)
              .filter((other) => other !== folder && !allowed.includes(other))
              .map((other) => `${src}/${other}`)
              .concat([`${src}/app.ts`, `${src}/index.ts`]),
            message: `${folder}/ imports ${allowed.length ? `only ${allowed.map((f) => `${f}/`).join(', ')}` : 'no other folder of the server'} (see its README and LAYERS in eslint.config.mjs)`,
          })),
        },
      ],
    },
  },
  {
    files: DATA_LAYER.map((folder) => `${src}/${folder}/**/*.ts`),
    rules: {
      'no-restricted-imports': ['error', { paths: ['graphql', 'type-graphql', '@apollo/server'].map((name) => ({ name, message: 'the data layer speaks no GraphQL' })) }],
    },
  },
  {
    files: [`${src}/**/*.resolver.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['typeorm', 'pg'].map((name) => ({ name, message: 'a resolver holds no SQL: it calls its service' })),
          patterns: [{ group: ['**/database/*'], message: 'a resolver holds no SQL: it calls its service' }],
        },
      ],
    },
  },
  {
    // Jest's global setup/teardown and config files must export a default.
    files: ['jest.config.ts', 'jest.faults.config.ts', 'jest.topology.config.ts', '**/test/support/global-*.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
