/** @jest-config-loader ts-node */
/** @jest-config-loader-options {"transpileOnly": true} */
import type { Config } from 'jest';

/** One jest run for the whole monorepo: unit specs beside the code, e2e specs against a real database. */
const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/packages'],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  moduleNameMapper: { '^@jointly/server$': '<rootDir>/packages/server/src/index.ts' },
  globalSetup: '<rootDir>/packages/server/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/packages/server/test/support/global-teardown.ts',
  setupFilesAfterEnv: ['<rootDir>/packages/server/test/support/leak-guard.ts'],
  testTimeout: 60_000,
  maxWorkers: 2,
};

export default config;
