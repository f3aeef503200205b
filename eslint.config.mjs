// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The benchmark is its own npm package (PostGraphile 5 declares Node 22): `npm run lint:bench`
// installs it and lints it with JOINTLY_LINT_BENCH=1; `npm run lint` covers the product.
const lintBench = process.env.JOINTLY_LINT_BENCH === '1';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'packages/client/src/generated/**', '**/*.mjs', '**/*.js', ...(lintBench ? [] : ['bench/**'])] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
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
      'no-duplicate-imports': ['error', { allowSeparateTypeImports: true }],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' },
      ],
    },
  },
  {
    // Jest's global setup/teardown and config files must export a default.
    files: ['jest.config.ts', 'jest.faults.config.ts', '**/test/support/global-*.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
