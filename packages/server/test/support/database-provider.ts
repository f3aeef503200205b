import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { openDatabase, prepareDatabase, startEmbeddedPostgres } from '../../src/index';

/**
 * Hands each test file a fresh, migrated database holding the sample data, cloned from a template
 * prepared once: `CREATE DATABASE … TEMPLATE` on PostgreSQL, PGlite's clone() on the embedded one.
 * It runs in Jest's global setup (outside the test VMs, where PGlite cannot start) and serves
 * `POST /databases` → `{ url }` on 127.0.0.1 for the test workers (`POST /databases/empty`: an empty one).
 */
export interface DatabaseProvider {
  controlUrl: string;
  backend: 'postgres' | 'embedded';
  stop(): Promise<void>;
}

type Factory = {
  /** A clone of the template: migrated, with the built-in states and the sample data. */
  create(): Promise<string>;
  /** A database with nothing in it (not even migrated), for a test that builds its own archive. */
  createEmpty(): Promise<string>;
  stop(): Promise<void>;
}

async function postgresFactory(adminUrl: string): Promise<Factory> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  const template = `jointly_template_${process.pid}`;
  const created: string[] = [];
  const urlFor = (name: string) => {
    const u = new URL(adminUrl);
    u.pathname = `/${name}`;
    return u.toString();
  };
  await admin.query(`DROP DATABASE IF EXISTS ${template}`);
  await admin.query(`CREATE DATABASE ${template}`);
  const db = await openDatabase({ database: { kind: 'postgres', url: urlFor(template) }, poolSize: 2, logSql: false });
  await prepareDatabase(db.dataSource, { seed: true });
  await db.close();
  let n = 0;
  return {
    async create() {
      const name = `jointly_test_${process.pid}_${++n}`;
      await admin.query(`DROP DATABASE IF EXISTS ${name}`);
      await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
      created.push(name);
      return urlFor(name);
    },
    async createEmpty() {
      const name = `jointly_test_${process.pid}_${++n}`;
      await admin.query(`DROP DATABASE IF EXISTS ${name}`);
      await admin.query(`CREATE DATABASE ${name}`);
      created.push(name);
      return urlFor(name);
    },
    async stop() {
      for (const name of [...created, template]) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

async function embeddedFactory(): Promise<Factory> {
  const template = await startEmbeddedPostgres({ dataDir: 'memory://', maxConnections: 16 });
  const db = await openDatabase({ database: { kind: 'postgres', url: template.url }, poolSize: 1, logSql: false });
  await prepareDatabase(db.dataSource, { seed: true });
  await db.close();
  const clones: { stop(): Promise<void> }[] = [];
  return {
    async create() {
      const clone = await template.clone();
      clones.push(clone);
      return clone.url;
    },
    async createEmpty() {
      const empty = await startEmbeddedPostgres({ dataDir: 'memory://', maxConnections: 16 });
      clones.push(empty);
      return empty.url;
    },
    async stop() {
      for (const c of clones) await c.stop().catch(() => undefined);
      await template.stop();
    },
  };
}

export async function startDatabaseProvider(adminUrl: string | undefined): Promise<DatabaseProvider> {
  const factory = adminUrl ? await postgresFactory(adminUrl) : await embeddedFactory();
  const server = http.createServer((req, res) => {
    // One request per connection: a kept-alive one can be closed by the server's idle timer just as the
    // next test file of the same worker reuses it, and that file fails with "other side closed".
    res.setHeader('connection', 'close');
    const make = req.method !== 'POST' ? undefined : req.url === '/databases' ? () => factory.create() : req.url === '/databases/empty' ? () => factory.createEmpty() : undefined;
    if (!make) {
      res.writeHead(404).end();
      return;
    }
    make().then(
      (url) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ url })),
      (error: Error) => res.writeHead(500).end(error.message),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    controlUrl: `http://127.0.0.1:${port}/databases`,
    backend: adminUrl ? 'postgres' : 'embedded',
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await factory.stop();
    },
  };
}
