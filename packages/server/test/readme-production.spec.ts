import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Metrics } from '../src/observability/metrics';

/** The README's "Running in production" section is checked against the code it describes. */
const root = path.resolve(__dirname, '../../..');
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
const section = readme.slice(readme.indexOf('## Running in production'), readme.indexOf('## Testing'));

/** The first column of every table row in the section, unquoted. */
const tableKeys = new Set([...section.matchAll(/^\| `([^`]+)`/gm)].map((m) => m[1]!));

describe('the README’s production section matches the code', () => {
  it('documents every JOINTLY_* setting the configuration reads, and no other', () => {
    const config = readFileSync(path.join(root, 'packages/server/src/config/config.ts'), 'utf8');
    const read = new Set([...config.matchAll(/(?:'|env\.)(JOINTLY_[A-Z_]+)/g)].map((m) => m[1]!));
    const documented = new Set([...readme.matchAll(/^\| `(JOINTLY_[A-Z_]+)`/gm)].map((m) => m[1]!));
    expect([...read].filter((name) => !documented.has(name))).toEqual([]);
    expect([...documented].filter((name) => !read.has(name))).toEqual([]);
    expect(read.size).toBeGreaterThan(20);
  });

  it('explains every error code the server and the client know', () => {
    const serverCodes = readFileSync(path.join(root, 'packages/server/src/common/errors.ts'), 'utf8');
    const clientCodes = readFileSync(path.join(root, 'packages/client/src/errors.ts'), 'utf8');
    const union = (source: string, name: string) => {
      const body = new RegExp(`export type ${name} =([^;]+);`).exec(source)?.[1] ?? '';
      return [...body.matchAll(/'([A-Z_]+)'/g)].map((m) => m[1]!);
    };
    const codes = new Set([...union(serverCodes, 'ErrorCode'), ...union(clientCodes, 'ServerErrorCode').filter((c) => c !== 'RATE_LIMITED'), 'QUERY_TOO_COMPLEX', 'NOT_ACCEPTABLE', 'BAD_REQUEST']);
    expect(codes.size).toBeGreaterThan(10);
    expect([...codes].filter((code) => !tableKeys.has(code))).toEqual([]);
  });

  it('lists every metric the server registers', async () => {
    const metrics = new Metrics({ pool: () => undefined, sqlStatements: () => 0, responseCache: () => ({ hits: 0, misses: 0, size: 0, sizeBytes: 0 }) });
    const names = (await metrics.registry.getMetricsAsJSON()).map((m) => m.name).filter((name) => name.startsWith('jointly_'));
    expect(names.length).toBeGreaterThanOrEqual(7);
    expect(names.filter((name) => !tableKeys.has(name))).toEqual([]);
  });

  it('names the health endpoints the server answers', () => {
    for (const endpoint of ['GET /healthz', 'GET /readyz', 'GET /metrics']) expect(tableKeys).toContain(endpoint);
  });
});

describe('the README’s role table matches the code', () => {
  it('names the role of every mutation as its service asks for it', () => {
    const modules = path.join(root, 'packages/server/src/modules');
    const files = readdirSync(modules, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('service.ts')).map((f) => path.join(modules, f));
    const inCode = new Map<string, string>();
    for (const file of files) {
      const source = readFileSync(file, 'utf8');
      for (const m of source.matchAll(/write\(ctx, '(editor|admin)', (?:dryRun \? '[^']*' : )?'(\w+)'/g)) inCode.set(m[2]!, m[1]!);
    }
    const rows = section.slice(section.indexOf('### Roles'), section.indexOf('### Health checks'));
    const documented = new Map([...rows.matchAll(/^\| `(\w+)` \| (editor|admin)\b/gm)].map((m) => [m[1]!, m[2]!]));
    expect(inCode.size).toBeGreaterThanOrEqual(20);
    expect(Object.fromEntries(documented)).toEqual(Object.fromEntries(inCode));
  });
});
