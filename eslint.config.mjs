// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX, createNodeResolver } from 'eslint-plugin-import-x';

const src = 'packages/server/src';
/** Folders of the server that make up the data layer: they never reach the API's layers. */
const DATA_LAYER = ['database', 'data', 'import', 'export', 'reference', 'seed'];
/** The API's layers (GraphQL, HTTP, the read engine). */
const API_LAYERS = ['graphql', 'http', 'read', 'playground'];

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
    // The layers: the data layer never reaches the API; resolvers hold no SQL and no TypeORM.
    files: [`${src}/**/*.ts`],
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            ...DATA_LAYER.map((target) => ({
              target: `${src}/${target}`,
              from: API_LAYERS.map((layer) => `${src}/${layer}`),
              message: 'the data layer does not reach the API: pass what it needs in (see the README of its folder)',
            })),
            { target: `${src}/common`, from: [`${src}/graphql`, `${src}/http`, `${src}/read`], message: 'common/ holds no API layer' },
          ],
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
    files: ['jest.config.ts', 'jest.faults.config.ts', '**/test/support/global-*.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
