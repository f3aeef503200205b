/** The ordinary readers both the fairness and the scale-out benchmarks load the server with. */
import { spawn, type ChildProcess } from 'node:child_process';
import { withClient } from './environment';

export interface Body {
  query: string;
  variables?: Record<string, unknown>;
}

export interface Fixtures {
  keys: string[];
  iso3: string[];
  names: string[];
  topics: string[];
  words: string[];
}

export async function readFixtures(url: string): Promise<Fixtures> {
  return withClient(url, async (client) => {
    const keys = (await client.query(`SELECT key FROM statement WHERE deleted_at IS NULL ORDER BY key LIMIT 200`)).rows.map((r: { key: string }) => r.key);
    const states = (await client.query(`SELECT iso3, name FROM signatory WHERE iso3 IS NOT NULL ORDER BY iso3`)).rows as { iso3: string; name: string }[];
    const topics = (await client.query(`SELECT DISTINCT unnest(topics) AS t FROM statement ORDER BY 1 LIMIT 50`)).rows.map((r: { t: string }) => r.t);
    const words = (await client.query(`SELECT word FROM ts_stat('SELECT search_vector FROM statement') ORDER BY ndoc DESC LIMIT 200`)).rows.map((r: { word: string }) => r.word);
    return { keys, iso3: states.map((s) => s.iso3), names: states.map((s) => s.name), topics, words };
  });
}

/** The readers' queries: the README's and the playground's, with parameters drawn from the archive. */
export function readerQuery(f: Fixtures, i: number): Body {
  const pick = <T>(list: T[], k: number): T => list[(i * 7919 + k * 104_729) % list.length]!;
  switch (i % 6) {
    case 0:
      return { query: `query ($n: Int) { statements(first: $n) { totalCount nodes { key title date signatures(first: 50) { totalCount nodes { signatory { name iso3 } } } } } }`, variables: { n: 5 + (i % 10) } };
    case 1:
      return { query: `query ($ref: String!) { signatory(ref: $ref) { name memberOf { name } signatures(first: 20) { totalCount nodes { status joinedOn statement { key title date } } } } }`, variables: { ref: pick(f.iso3, 1) } };
    case 2:
      return {
        query: `query ($a: String!, $b: String!) { statements(first: 10, filter: { signedBy: { all: [$a, $b] } }, orderBy: SIGNATURE_COUNT_DESC) { totalCount nodes { key date listedSignatoryCount } } }`,
        variables: { a: pick(f.iso3, 2), b: pick(f.iso3, 3) },
      };
    case 3:
      return { query: `query ($q: String!) { search(query: $q, first: 10) { totalCount nodes { rank snippet type } } }`, variables: { q: `${pick(f.words, 4)} ${pick(f.words, 5)}` } };
    case 4:
      return { query: `query ($key: String!) { statement(key: $key) { title date claimedSignatoryCount listedSignatoryCount listStatus respondsTo { title } signatures(first: 30) { nodes { nameAsWritten status } } } }`, variables: { key: pick(f.keys, 6) } };
    default:
      return { query: `query ($t: String) { statementFacets(filter: { topic: $t }) { topics(first: 10) { value count } forums(first: 10) { value count } } }`, variables: { t: pick(f.topics, 7) } };
  }
}


/**
 * `jointly serve` as the readers' benchmarks run it: production mode, the response cache off (every
 * request reaches a database), X-Forwarded-For trusted (each client its own address), no sample
 * data; `env` adds DATABASE_URL and the rest. Resolves once /readyz answers 200.
 */
export function startJointly(cli: string, env: Record<string, string>, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [cli, 'serve'], {
    env: { ...process.env, PORT: String(port), NODE_ENV: 'production', JOINTLY_RESPONSE_CACHE_MB: '0', JOINTLY_TRUST_PROXY: 'true', JOINTLY_LOG_LEVEL: 'warn', JOINTLY_SEED: 'false', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 60_000;
    const probe = async () => {
      if (child.exitCode !== null) return reject(new Error(`the server exited (${child.exitCode})`));
      try {
        if ((await fetch(`http://127.0.0.1:${port}/readyz`)).ok) return resolve(child);
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) return reject(new Error('the server did not become ready in 60 s'));
      setTimeout(() => void probe(), 250);
    };
    void probe();
  });
}
