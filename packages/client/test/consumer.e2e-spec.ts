/**
 * The package as its users get it: `npm pack`, then fresh projects (ESM and CommonJS with
 * `module: nodenext`, and one with `moduleResolution: bundler`) install the tarball from npm's
 * point of view, type-check a consumer under strict settings — its `@ts-expect-error` lines prove
 * that wrong fields and wrong variables do not compile — and run it against a live server.
 *
 * A last project depends on the checkout's package folder (`file:`), the README's other recipe.
 *
 * Slow (npm install); set JOINTLY_KEEP_CONSUMERS=1 to keep the projects for a look.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createToken, type RunningServer } from '../../server/src/index';
import { startTestServer } from '../../server/test/support/test-database';

const run = promisify(execFile);
const clientDir = path.resolve(__dirname, '..');
const rootDir = path.resolve(clientDir, '..', '..');

/** The environment without npm's own variables (set when jest runs under `npm test`). */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
  return { ...env, ...extra };
}

async function sh(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = cleanEnv()): Promise<string> {
  try {
    const { stdout } = await run(command, args, { cwd, env, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const e = error as { message: string; stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}

interface Variant {
  name: string;
  type: 'module' | 'commonjs';
  compilerOptions: Record<string, unknown>;
}

const strict = {
  strict: true,
  noUncheckedIndexedAccess: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  noImplicitReturns: true,
  noFallthroughCasesInSwitch: true,
  forceConsistentCasingInFileNames: true,
  // The package's declarations are checked too.
  skipLibCheck: false,
  target: 'es2022',
  rootDir: 'src',
  outDir: 'dist',
  types: ['node'],
};

const VARIANTS: Variant[] = [
  {
    name: 'esm',
    type: 'module',
    compilerOptions: { ...strict, module: 'nodenext', moduleResolution: 'nodenext', lib: ['es2022'], exactOptionalPropertyTypes: true, verbatimModuleSyntax: true },
  },
  { name: 'cjs', type: 'commonjs', compilerOptions: { ...strict, module: 'nodenext', moduleResolution: 'nodenext', lib: ['es2022'] } },
  { name: 'bundler', type: 'module', compilerOptions: { ...strict, module: 'esnext', moduleResolution: 'bundler', lib: ['es2022', 'dom'] } },
];

/** The consumer: a typed method, paginate, JointlyError, unwrap, and what must not compile. */
const CONSUMER = `import {
  createClient,
  isJointlyError,
  JointlyError,
  MutationError,
  StatementDocument,
  unwrap,
  type JointlyClient,
  type JointlyErrorCode,
  type StatementsQuery,
} from '@jointly/client';

const variant = process.env.JOINTLY_VARIANT ?? 'unknown';
const client: JointlyClient = createClient({
  url: process.env.JOINTLY_URL ?? 'http://localhost:4000/graphql',
  token: process.env.JOINTLY_TOKEN,
  timeoutMs: 30_000,
  retry: { retries: 1 },
});

/** Never called: what must and must not compile. */
export async function typeChecks(): Promise<void> {
  const result = await client.statements({ filter: { topic: 'Xinjiang' } });
  const first = result.statements.nodes[0];
  if (first) {
    const title: string = first.title;
    const date: string = first.date;
    // @ts-expect-error -- statements have no field nope
    console.log(title, date, first.nope);
    // @ts-expect-error -- title is a string
    const wrong: number = first.title;
    console.log(wrong);
  }
  const page: StatementsQuery = result;
  console.log(page.statements.totalCount);
  // @ts-expect-error -- topic is a string
  await client.statements({ filter: { topic: 42 } });
  // @ts-expect-error -- statements takes no variable nope
  await client.statements({ nope: true });
  // @ts-expect-error -- orderBy is an enum
  await client.statements({ orderBy: 'SIDEWAYS' });
  // @ts-expect-error -- signatory needs its ref
  await client.signatory({});
  // @ts-expect-error -- no such operation
  await client.nope();
  const one = await client.request(StatementDocument, { key: 'k' });
  // @ts-expect-error -- a statement's topics are strings
  const topics: number[] = one.statement?.topics ?? [];
  console.log(topics);
  for await (const signatory of client.paginate.signatories({ filter: { kind: 'STATE' } })) {
    const name: string = signatory.name;
    // @ts-expect-error -- signatories have no field nope
    console.log(name, signatory.nope);
  }
  // @ts-expect-error -- search needs its query
  client.paginate.search({});
  const source = unwrap(await client.createSource({ input: { key: 'k', kind: 'OTHER', title: 't' } }));
  const version: number = source.version;
  // @ts-expect-error -- sources have no field nope
  console.log(version, source.nope);
  try {
    await client.statement({ key: 'k' });
  } catch (error) {
    if (error instanceof JointlyError) {
      const code: JointlyErrorCode = error.code;
      // @ts-expect-error -- not a code of the union
      const unknown: JointlyErrorCode = 'NOPE';
      console.log(code, unknown, error.errors[0]?.extensions?.code);
    }
  }
}

async function main(): Promise<void> {
  const result = await client.statements({ filter: { topic: 'Xinjiang' }, first: 2, signatures: 1 });
  const paginated: string[] = [];
  for await (const statement of client.paginate.statements({ first: 4, signatures: 0 })) paginated.push(statement.key);
  const hits: string[] = [];
  for await (const hit of client.paginate.search({ query: 'Xinjiang', types: ['STATEMENT'], first: 5 })) hits.push(hit.node.__typename);

  let errorCode: JointlyErrorCode | undefined;
  try {
    await client.statements({ first: 500 });
  } catch (error) {
    if (error instanceof JointlyError) errorCode = error.code;
  }

  const key = 'consumer-' + variant;
  const source = unwrap(await client.createSource({ input: { key, kind: 'OTHER', title: 'Written by the ' + variant + ' consumer' } }));
  let mutationCode: string | undefined;
  let mutationPath: readonly string[] | undefined;
  try {
    unwrap(await client.createSource({ input: { key, kind: 'OTHER', title: 'Again' } }));
  } catch (error) {
    if (error instanceof MutationError) {
      mutationCode = error.code;
      mutationPath = error.errors[0]?.path;
    }
  }

  let unauthenticated: string | undefined;
  try {
    await createClient({ url: process.env.JOINTLY_URL ?? '' }).deleteSource({ input: { id: key, expectedVersion: 1 } });
  } catch (error) {
    if (isJointlyError(error)) unauthenticated = error.code;
  }

  console.log(
    JSON.stringify({
      variant,
      totalCount: result.statements.totalCount,
      firstTopics: result.statements.nodes[0]?.topics,
      paginated: paginated.length,
      distinct: new Set(paginated).size,
      hits: hits.length,
      errorCode,
      sourceKey: source.key,
      sourceVersion: source.version,
      mutationCode,
      mutationPath,
      unauthenticated,
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
`;

/** A fresh project of the variant, with the tarball, graphql, typescript and @types/node installed. */
async function createProject(work: string, variant: Variant, tarball: string, versions: Record<'graphql' | 'typescript' | 'typesNode', string>): Promise<string> {
  const dir = path.join(work, variant.name);
  await mkdir(path.join(dir, 'src'), { recursive: true });
  await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: `consumer-${variant.name}`, private: true, type: variant.type }, null, 2));
  await writeFile(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: variant.compilerOptions, include: ['src'] }, null, 2));
  await writeFile(path.join(dir, 'src', 'consumer.ts'), CONSUMER);
  await sh(
    'npm',
    [
      'install',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      tarball,
      `graphql@${versions.graphql}`,
      `typescript@${versions.typescript}`,
      `@types/node@${versions.typesNode}`,
    ],
    dir,
  );
  return dir;
}

describe('the packed client in fresh consumer projects', () => {
  let work: string;
  let server: RunningServer;
  let token: string;
  let tarball: string;
  let graphqlVersion: string;
  const projects = new Map<string, string>();

  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'jointly-consumers-'));
    const rootPackage = JSON.parse(await readFile(path.join(rootDir, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    graphqlVersion = (JSON.parse(await readFile(require.resolve('graphql/package.json'), 'utf8')) as { version: string }).version;
    const versions = {
      typescript: rootPackage.devDependencies.typescript!,
      typesNode: rootPackage.devDependencies['@types/node']!,
      graphql: graphqlVersion,
    };

    const installed = (async () => {
      // prepack builds the package (tsup) first.
      await sh('npm', ['pack', '--pack-destination', work], clientDir);
      const file = (await readdir(work)).find((name) => name.endsWith('.tgz'));
      if (!file) throw new Error('npm pack wrote no tarball');
      tarball = path.join(work, file);
      const dirs = await Promise.all(VARIANTS.map((variant) => createProject(work, variant, tarball, versions)));
      VARIANTS.forEach((variant, i) => projects.set(variant.name, dirs[i]!));
    })();
    const started = (async () => {
      server = await startTestServer();
      token = (await createToken(server.database.dataSource.manager, 'consumer', 'editor')).token;
    })();
    await Promise.all([installed, started]);
  }, 600_000);

  afterAll(async () => {
    await server?.stop();
    if (work && !process.env.JOINTLY_KEEP_CONSUMERS) await rm(work, { recursive: true, force: true });
  });

  it('packs what the exports map points to', async () => {
    const listing = await sh('tar', ['-tzf', tarball], work);
    const files = listing.split('\n').filter(Boolean).sort();
    expect(files).toEqual([
      'package/LICENSE',
      'package/README.md',
      'package/dist/index.cjs',
      'package/dist/index.d.cts',
      'package/dist/index.d.ts',
      'package/dist/index.js',
      'package/package.json',
      'package/schema.graphql',
    ]);
  });

  it.each(VARIANTS)(
    'type-checks and runs in the $name project',
    async (variant) => {
      const dir = projects.get(variant.name)!;
      const tsc = path.join(dir, 'node_modules', 'typescript', 'bin', 'tsc');
      // Must pass: an error, or a @ts-expect-error with nothing to expect, fails it.
      await sh(process.execPath, [tsc, '--noEmit', '-p', '.'], dir);
      await sh(process.execPath, [tsc, '-p', '.'], dir);

      const compiled = await readFile(path.join(dir, 'dist', 'consumer.js'), 'utf8');
      if (variant.type === 'commonjs') expect(compiled).toContain('require("@jointly/client")');
      else expect(compiled).toMatch(/from '@jointly\/client'/);

      const stdout = await sh(
        process.execPath,
        [path.join('dist', 'consumer.js')],
        dir,
        cleanEnv({ JOINTLY_URL: server.url, JOINTLY_TOKEN: token, JOINTLY_VARIANT: variant.name }),
      );
      const report = JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, unknown>;
      expect(report).toEqual({
        variant: variant.name,
        totalCount: expect.any(Number),
        firstTopics: expect.arrayContaining(['Xinjiang']),
        paginated: 11,
        distinct: 11,
        hits: expect.any(Number),
        errorCode: 'BAD_USER_INPUT',
        sourceKey: `consumer-${variant.name}`,
        sourceVersion: 1,
        mutationCode: 'CONFLICT',
        mutationPath: ['input', 'key'],
        unauthenticated: 'UNAUTHENTICATED',
      });
      expect(report.hits).toBeGreaterThan(0);
    },
    300_000,
  );

  it('runs from ESM and CommonJS as a path dependency on the built package folder', async () => {
    // The folder was built by the pack above (prepack); the README says to build it first.
    const dir = path.join(work, 'path-dependency');
    await mkdir(dir, { recursive: true });
    const dependency = `file:${path.relative(dir, clientDir)}`;
    await writeFile(
      path.join(dir, 'package.json'),
      JSON.stringify({ name: 'consumer-path-dependency', private: true, type: 'module', dependencies: { '@jointly/client': dependency, graphql: graphqlVersion } }, null, 2),
    );
    await sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], dir);
    const program = (load: string, resolved: string) => `${load}
const { statements } = await createClient({ url: process.env.JOINTLY_URL }).statements({ first: 1, signatures: 0 });
let code;
try {
  await createClient({ url: process.env.JOINTLY_URL }).statements({ first: 500 });
} catch (error) {
  code = isJointlyError(error) ? error.code : String(error);
}
console.log(JSON.stringify({ resolved: ${resolved}, totalCount: statements.totalCount, code }));
`;
    await writeFile(
      path.join(dir, 'esm.mjs'),
      program(`import { createClient, isJointlyError } from '@jointly/client';`, `import.meta.resolve('@jointly/client')`),
    );
    await writeFile(
      path.join(dir, 'cjs.cjs'),
      program(`const { createClient, isJointlyError } = require('@jointly/client');\n(async () => {`, `require.resolve('@jointly/client')`) + '})();\n',
    );
    const reports: { resolved: string; totalCount: number; code: string }[] = [];
    for (const file of ['esm.mjs', 'cjs.cjs']) {
      const stdout = await sh(process.execPath, [file], dir, cleanEnv({ JOINTLY_URL: server.url }));
      reports.push(JSON.parse(stdout.trim()) as (typeof reports)[number]);
    }
    // The package folder itself, not a copy: a rebuild is seen without reinstalling.
    const packageDir = await realpath(clientDir);
    expect(reports.map((r) => (r.resolved.startsWith('file:') ? fileURLToPath(r.resolved) : r.resolved))).toEqual([
      path.join(packageDir, 'dist', 'index.js'),
      path.join(packageDir, 'dist', 'index.cjs'),
    ]);
    for (const report of reports) {
      expect(report.totalCount).toBeGreaterThan(0);
      expect(report.code).toBe('BAD_USER_INPUT');
    }
  }, 300_000);

  it('fails to compile, once per line, without the @ts-expect-error comments', async () => {
    const dir = projects.get('esm')!;
    const expected = CONSUMER.split('\n').filter((line) => line.includes('@ts-expect-error')).length;
    await writeFile(path.join(dir, 'src', 'consumer.ts'), CONSUMER.split('\n').filter((line) => !line.includes('@ts-expect-error')).join('\n'));
    const tsc = path.join(dir, 'node_modules', 'typescript', 'bin', 'tsc');
    const failed = await run(process.execPath, [tsc, '--noEmit', '-p', '.'], { cwd: dir, env: cleanEnv() }).then(
      () => '',
      (error: { stdout?: string }) => error.stdout ?? '',
    );
    const errors = failed.split('\n').filter((line) => /error TS\d+/.test(line));
    expect(errors).toHaveLength(expected);
    expect(expected).toBeGreaterThanOrEqual(10);
  }, 120_000);
});
