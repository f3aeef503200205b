import { ensureTopology, TOPOLOGY_READY_ENV } from './topology';

/** Brings the topology up (.ci/services) once for the whole run and tells the test files it is up. */
export default async function globalSetupTopology(): Promise<void> {
  await ensureTopology();
  process.env[TOPOLOGY_READY_ENV] = '1';
}
