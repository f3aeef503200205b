import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '../src/config/config';

/**
 * docker-compose.yml cannot be run here (no Docker engine), so it is parsed and checked against
 * what the server and its Dockerfile expect: a healthy Postgres 16 before the server starts, a
 * DATABASE_URL that matches the Postgres credentials, and one port everywhere.
 */

const ROOT = resolve(__dirname, '..', '..', '..');
const POSTGRES_DATA = '/var/lib/postgresql/data';

type Environment = Record<string, string | number | boolean | null> | string[];

interface Service {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  environment?: Environment;
  healthcheck?: { test?: string | string[]; interval?: string; timeout?: string; retries?: number };
  stop_grace_period?: string;
  depends_on?: string[] | Record<string, { condition?: string }>;
  ports?: (string | number | { target?: number; published?: number | string })[];
  volumes?: (string | { type?: string; source?: string; target?: string })[];
}

interface ComposeFile {
  services?: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

function readCompose(): ComposeFile {
  return parse(readFileSync(resolve(ROOT, 'docker-compose.yml'), 'utf8')) as ComposeFile;
}

function service(compose: ComposeFile, name: string): Service {
  const found = compose.services?.[name];
  if (!found) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
}

/** A service's environment as strings, from either the map or the `KEY=value` list form. */
function environmentOf(s: Service): Record<string, string> {
  const env = s.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry) => {
        const at = entry.indexOf('=');
        return at < 0 ? [entry, ''] : [entry.slice(0, at), entry.slice(at + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(env).map(([key, value]) => [key, value === null ? '' : String(value)]));
}

/** The container side of each published port: "4000:4000", "127.0.0.1:4000:4000/tcp" or the long form. */
function containerPorts(s: Service): number[] {
  return (s.ports ?? []).map((port) => {
    if (typeof port === 'object') return Number(port.target);
    const container = String(port).split('/')[0]!.split(':').pop()!;
    return Number(container);
  });
}

/** [volume source, mount target] pairs, from the short or long syntax. */
function mounts(s: Service): [string, string][] {
  return (s.volumes ?? []).map((volume) => {
    if (typeof volume === 'object') return [volume.source ?? '', volume.target ?? ''];
    const [source = '', target = ''] = volume.split(':');
    return [source, target];
  });
}

function dockerfileOf(s: Service): string {
  const build = s.build;
  if (build === undefined) throw new Error('the server service has no build section');
  const context = typeof build === 'string' ? build : (build.context ?? '.');
  const dockerfile = typeof build === 'string' ? 'Dockerfile' : (build.dockerfile ?? 'Dockerfile');
  return resolve(ROOT, context, dockerfile);
}

describe('docker-compose.yml', () => {
  const compose = readCompose();
  const postgres = service(compose, 'postgres');
  const server = service(compose, 'server');
  const postgresEnv = environmentOf(postgres);
  const serverEnv = environmentOf(server);

  it('runs PostgreSQL 16', () => {
    expect(postgres.image).toMatch(/^postgres:16(\.|-|$)/);
  });

  it('checks that PostgreSQL is ready with pg_isready', () => {
    const test = postgres.healthcheck?.test;
    const command = Array.isArray(test) ? test.join(' ') : (test ?? '');
    expect(command).toContain('pg_isready');
    expect(postgres.healthcheck?.interval).toBeDefined();
    expect(postgres.healthcheck?.timeout).toBeDefined();
    expect(postgres.healthcheck?.retries).toBeGreaterThan(0);
  });

  it("checks the server's readiness on /readyz, and gives SIGTERM's drain time to finish", () => {
    const test = server.healthcheck?.test;
    const command = Array.isArray(test) ? test.join(' ') : (test ?? '');
    expect(command).toContain(`:${serverEnv.PORT}/readyz`);
    expect(server.healthcheck?.retries).toBeGreaterThan(0);
    const grace = /^(\d+)s$/.exec(server.stop_grace_period ?? '');
    expect(Number(grace?.[1])).toBeGreaterThan(loadConfig(serverEnv).shutdownTimeoutMs / 1000);
  });

  it('starts the server only once PostgreSQL is healthy', () => {
    const dependsOn = server.depends_on;
    expect(dependsOn).toBeDefined();
    expect(Array.isArray(dependsOn)).toBe(false);
    expect((dependsOn as Record<string, { condition?: string }>).postgres).toEqual({ condition: 'service_healthy' });
  });

  it("points the server's DATABASE_URL at the postgres service with its credentials", () => {
    const url = new URL(serverEnv.DATABASE_URL ?? '');
    expect(url.protocol).toMatch(/^postgres(ql)?:$/);
    expect(url.hostname).toBe('postgres');
    expect(url.pathname.slice(1)).toBe(postgresEnv.POSTGRES_DB);
    expect(decodeURIComponent(url.username)).toBe(postgresEnv.POSTGRES_USER);
    expect(decodeURIComponent(url.password)).toBe(postgresEnv.POSTGRES_PASSWORD);
  });

  it('publishes the port the server listens on, and the server reads that environment as intended', () => {
    expect(containerPorts(server)).toContain(Number(serverEnv.PORT));
    const config = loadConfig(serverEnv);
    expect(config).toMatchObject({ database: { kind: 'postgres' }, port: 4000, host: '0.0.0.0' });
  });

  it('builds from a Dockerfile that exists and exposes the same port', () => {
    const dockerfile = dockerfileOf(server);
    expect(existsSync(dockerfile)).toBe(true);
    const exposed = readFileSync(dockerfile, 'utf8')
      .split('\n')
      .filter((line) => /^\s*EXPOSE\s/i.test(line))
      .flatMap((line) => line.trim().split(/\s+/).slice(1))
      .map((port) => Number(port.split('/')[0]));
    expect(exposed).toEqual([Number(serverEnv.PORT)]);
  });

  it('keeps the PostgreSQL data in a named volume declared at the top level', () => {
    const data = mounts(postgres).find(([, target]) => target === POSTGRES_DATA);
    expect(data).toBeDefined();
    const [volume] = data!;
    expect(volume).toMatch(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/);
    expect(Object.keys(compose.volumes ?? {})).toContain(volume);
  });
});
