/** @jest-config-loader ts-node */
/** @jest-config-loader-options {"transpileOnly": true} */
import type { Config } from 'jest';
import base from './jest.config';

/**
 * The topology tests (packages/server/test/topology/*.topology-spec.ts): the primary PostgreSQL, a
 * streaming hot standby, pgbouncer in transaction mode and Redis on this machine, which `.ci/services`
 * brings up (as root, from Debian packages; the global setup runs it). One file at a time: they stop
 * and start the shared replica. Run with `npm run test:topology` (which builds first).
 */
const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/packages/server/test/topology'],
  testMatch: ['**/*.topology-spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  transform: base.transform,
  moduleNameMapper: base.moduleNameMapper,
  globalSetup: '<rootDir>/packages/server/test/support/global-setup-topology.ts',
  setupFilesAfterEnv: base.setupFilesAfterEnv,
  testTimeout: 180_000,
  maxWorkers: 1,
};

export default config;
