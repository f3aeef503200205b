/** @jest-config-loader ts-node */
/** @jest-config-loader-options {"transpileOnly": true} */
import type { Config } from 'jest';
import base from './jest.config';

/**
 * The fault tests (packages/server/test/faults/*.fault-spec.ts): `jointly serve` as a child process
 * against a real PostgreSQL, with connections terminated, the network cut, locks held, signals sent.
 * One file at a time: they measure timings. Run with `npm run test:faults` (which builds first).
 */
if (!process.env.TEST_DATABASE_URL) {
  process.stderr.write(
    'test:faults needs a PostgreSQL it may create and drop databases on:\n' +
      '  TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run test:faults\n',
  );
  process.exit(1);
}

const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/packages/server/test/faults'],
  testMatch: ['**/*.fault-spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  transform: base.transform,
  moduleNameMapper: base.moduleNameMapper,
  setupFilesAfterEnv: base.setupFilesAfterEnv,
  testTimeout: 60_000,
  maxWorkers: 1,
};

export default config;
