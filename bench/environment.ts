/** What both benchmarks record about where they ran, and their one way to talk to PostgreSQL. */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import pg from 'pg';

export interface Machine {
  nproc: string;
  cpu: string;
  memoryGb: number;
  node: string;
  platform: string;
}

/** Runs fn with a fresh connection to url, closed afterwards. */
export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** CPUs (as `nproc` sees them: a container's limit), memory, Node and the kernel. */
export function machine(): Machine {
  let nproc = String(os.availableParallelism?.() ?? os.cpus().length);
  try {
    nproc = execFileSync('nproc', { encoding: 'utf8' }).trim();
  } catch {
    // keep Node's figure
  }
  return {
    nproc,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
  };
}

/** The server's version and the named settings. */
export async function postgresSettings(url: string, names: readonly string[]): Promise<Record<string, string>> {
  return withClient(url, async (client) => {
    const info: Record<string, string> = {};
    info.version = ((await client.query(`SELECT version() AS v`)).rows[0].v as string).split(' on ')[0]!;
    for (const name of names) info[name] = (await client.query(`SELECT current_setting($1) AS v`, [name])).rows[0].v as string;
    return info;
  });
}
