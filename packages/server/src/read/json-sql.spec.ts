import { Client } from 'pg';
import { snippetSql, toSnippet } from '../modules/search/search.service';
import { testDatabaseUrl } from '../../test/support/test-database';
import { floatJson, literal, UNANSWERED_MARK } from './json-sql';

/**
 * The SQL writers against the database of the test run (PostgreSQL with TEST_DATABASE_URL, else
 * PGlite): what they write is compared with what JavaScript writes of the same values as
 * node-postgres reads them.
 */
describe('SQL writing JSON as JavaScript does', () => {
  let client: Client;
  beforeAll(async () => {
    client = new Client({ connectionString: await testDatabaseUrl({ empty: true }) });
    await client.connect();
  });
  afterAll(() => client?.end());

  /** Each value (as text) of `type`: its floatJson, and JSON.stringify of the number node-postgres reads. */
  async function floats(type: 'real' | 'double precision', values: string[]): Promise<{ text: string; sql: string; js: string }[]> {
    const { rows } = await client.query<{ v: number; text: string; sql: string }>(
      `SELECT v, v::text AS text, ${floatJson('v')} AS sql FROM unnest($1::${type}[]) WITH ORDINALITY AS u(v, i) ORDER BY i`,
      [values],
    );
    return rows.map((r) => ({ text: r.text, sql: r.sql, js: JSON.stringify(r.v) }));
  }

  /** Reals of every binary exponent (subnormals too) at the ends and middle of the mantissa, and pseudo-random ones. */
  function reals(count: number): string[] {
    const bits: number[] = [];
    for (let exponent = 0; exponent < 255; exponent++) for (const mantissa of [0, 1, 2, 0x3fffff, 0x400000, 0x7ffffe, 0x7fffff]) bits.push(exponent * 2 ** 23 + mantissa);
    let seed = 20_261_203;
    while (bits.length < count) {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      bits.push(seed % 0x7f800000);
    }
    const view = new DataView(new ArrayBuffer(4));
    return bits.map((b) => {
      view.setUint32(0, b);
      return String(view.getFloat32(0));
    });
  }

  it('writes a real as JavaScript writes the number read from it, where to_json differs', async () => {
    const written = await floats('real', ['1e-20', '0.1', '0.0607927', '0.030396355', '1.5e-5', '1e-6', '9.99e-7', '1e-7', '1234567', '1e15', '1e21', '3.4028235e38', '1e-45', '0', '-0']);
    expect(written.map((w) => w.sql)).toEqual(['1e-20', '0.1', '0.0607927', '0.030396355', '0.000015', '0.000001', '9.99e-7', '1e-7', '1234567', '1000000000000000', '1e+21', '3.4028235e+38', '1e-45', '0', '0']);
    expect(written.filter((w) => w.sql !== w.js)).toEqual([]);
    // PostgreSQL's own notation is another: 1.5e-05, 1.234567e+06.
    const { rows } = await client.query<{ a: string; b: string }>(`SELECT to_json(1.5e-5::real)::text AS a, to_json(1234567::real)::text AS b`);
    expect(rows[0]).toEqual({ a: '1.5e-05', b: '1.234567e+06' });
  });

  it('writes every kind of real as JavaScript does', async () => {
    const written = await floats('real', reals(20_000));
    expect(written.filter((w) => w.sql !== w.js).slice(0, 5)).toEqual([]);
  });

  it('writes what ts_rank and ts_rank_cd give as JavaScript does', async () => {
    const { rows } = await client.query<{ v: number; sql: string }>(
      `SELECT v, ${floatJson('v')} AS sql FROM (
         SELECT ts_rank(d, q) AS v FROM unnest(ARRAY['a b c', 'b a c a', 'x y', 'a', 'c c c c c c c c b']) t, LATERAL to_tsvector('simple', t) d,
                unnest(ARRAY['a', 'a & b', 'a | z', 'z', 'c <-> b']) w, LATERAL to_tsquery('simple', w) q
         UNION ALL
         SELECT ts_rank_cd(d, q) FROM unnest(ARRAY['a b c', 'b a c a', 'a a a a a a a a a a a a']) t, LATERAL to_tsvector('simple', t) d,
                unnest(ARRAY['a', 'a & b', 'a | c']) w, LATERAL to_tsquery('simple', w) q) r`,
    );
    expect(rows.some((r) => r.v === 1e-20)).toBe(true);
    expect(rows.filter((r) => r.sql !== JSON.stringify(r.v))).toEqual([]);
  });

  it('writes a double as JavaScript does, and leaves what GraphQL refuses unanswered', async () => {
    const doubles = ['1e-300', '5e-324', '0.1', '0.30000000000000004', '1.7976931348623157e308', '123456789012345680000', '1e21', '2.5e-7', '0.000001'];
    const written = await floats('double precision', doubles);
    expect(written.filter((w) => w.sql !== w.js)).toEqual([]);
    const refused = await floats('real', ['NaN', 'Infinity', '-Infinity']);
    expect(refused.map((w) => w.sql)).toEqual([UNANSWERED_MARK, UNANSWERED_MARK, UNANSWERED_MARK]);
  });

  it('writes a search snippet as toSnippet does', async () => {
    const spaces = '\t\n\v\f\r \u00a0\u1680\u2000\u2005\u200a\u2028\u2029\u202f\u205f\u3000\ufeff';
    const headlines = [
      `${spaces}Tom & Jerry's <b>"\uE000access\uE001"</b>${spaces}and\u0085\u200bmore \uE000a\uE001${spaces}`,
      'plain',
      '',
      spaces,
    ];
    for (const headline of headlines) {
      const { rows } = await client.query<{ s: string }>(`SELECT ${snippetSql(literal(headline))} AS s`);
      expect(rows[0]!.s).toBe(toSnippet(headline));
    }
    const { rows } = await client.query<{ s: string }>(`SELECT ${snippetSql('NULL::text')} AS s`);
    expect(rows[0]!.s).toBe(toSnippet(null));
  });
});
