import { Client } from 'pg';

/**
 * Makes a GraphQL answer comparable across runs and backends without changing its shape: every
 * record id (a uuid, alone or inside a text such as an error message or a revision's row), every
 * global id and every cursor is replaced by a token naming the record by its key or natural
 * identity, and every timestamp by a placeholder. Nothing is sorted or dropped: key order, list
 * order, numbers and every other value stay as the server wrote them.
 *
 *   uuid               → «Statement unga75-c3-xinjiang-germany»
 *   global id          → «id Statement of Statement unga75-c3-xinjiang-germany»
 *   cursor             → «cursor ["2020-10-06","«Statement unga75-…»"]»
 *   2026-12-03T14:06Z  → «timestamp»
 */
export class Normaliser {
  /** @param names record id (uuid) → the record's name, e.g. `Signature unga75-…/fra`. */
  constructor(private readonly names: ReadonlyMap<string, string>) {}

  /** One answer's JSON text, normalised (the same JSON, with ids, cursors and timestamps replaced). */
  response(text: string): string {
    return JSON.stringify(this.value(JSON.parse(text) as unknown));
  }

  value(value: unknown): unknown {
    if (typeof value === 'string') return this.text(value);
    if (Array.isArray(value)) return value.map((item) => this.value(item));
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, inner] of Object.entries(value)) out[key] = this.value(inner);
      return out;
    }
    return value;
  }

  text(text: string): string {
    return text
      .replace(BASE64URL, (token) => this.encoded(token) ?? token)
      .replace(UUID, (uuid) => `«${this.name(uuid)}»`)
      .replace(TIMESTAMP, '«timestamp»');
  }

  private name(uuid: string): string {
    return this.names.get(uuid.toLowerCase()) ?? `unknown uuid ${uuid}`;
  }

  /** A global id or a cursor (base64url of `Type:v1:<uuid>`, of a JSON array), or undefined. */
  private encoded(token: string): string | undefined {
    const decoded = Buffer.from(token, 'base64url');
    if (decoded.toString('base64url') !== token.replace(/=+$/, '')) return undefined;
    const text = decoded.toString('utf8');
    const id = GLOBAL_ID.exec(text);
    if (id) return `«id ${id[1]} of ${this.name(id[2]!)}»`;
    if (!text.startsWith('[') || !text.endsWith(']')) return undefined;
    let position: unknown;
    try {
      position = JSON.parse(text);
    } catch {
      return undefined;
    }
    return Array.isArray(position) ? `«cursor ${JSON.stringify(this.value(position))}»` : undefined;
  }

  /** The names of every record of the database at `url`, by the natural identity of each table. */
  static async load(url: string): Promise<Normaliser> {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      const { rows: tables } = await client.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'id' AND data_type = 'uuid' ORDER BY table_name`,
      );
      const unknown = tables.map((t) => t.table_name).filter((name) => !(name in IDENTITIES));
      if (unknown.length) throw new Error(`the normaliser does not know how to name the records of ${unknown.join(', ')}: add them to IDENTITIES`);
      const names = new Map<string, string>();
      for (const { table_name } of tables) {
        const { rows } = await client.query<{ id: string; name: string }>(IDENTITIES[table_name]!);
        for (const row of rows) names.set(row.id, `${LABELS[table_name]!} ${row.name}`);
      }
      return new Normaliser(names);
    } finally {
      await client.end();
    }
  }
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
/** A run of base64url long enough to be a global id or a cursor (the shortest cursor, `[1]`, is 4 characters: too short to matter). */
const BASE64URL = /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{8,}={0,2}(?![A-Za-z0-9_-])/g;
const GLOBAL_ID = /^(\w+):v1:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
/** ISO 8601 date-times as JSON and PostgreSQL's JSON write them (`T` or a space, any fraction, an offset). */
const TIMESTAMP = /\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}(?::?\d{2})?)/g;

const LABELS: Record<string, string> = {
  statement: 'Statement',
  signatory: 'Signatory',
  source: 'Source',
  person: 'Person',
  signature: 'Signature',
  evidence: 'Evidence',
  count_claim: 'CountClaim',
  person_role: 'PersonRole',
  signatory_alias: 'SignatoryAlias',
  api_token: 'ApiToken',
};

/** Per table with a uuid id: SQL giving each row's id and its natural identity (keys, positions). */
const IDENTITIES: Record<string, string> = {
  statement: `SELECT id, key AS name FROM statement`,
  signatory: `SELECT id, key AS name FROM signatory`,
  source: `SELECT id, key AS name FROM source`,
  person: `SELECT id, key AS name FROM person`,
  signature: `SELECT g.id, st.key || '/' || s.key AS name FROM signature g JOIN statement st ON st.id = g.statement_id JOIN signatory s ON s.id = g.signatory_id`,
  evidence: `SELECT e.id, coalesce(st.key, gst.key || '/' || gs.key) || '#' || e.position AS name FROM evidence e
               LEFT JOIN statement st ON st.id = e.statement_id
               LEFT JOIN signature g ON g.id = e.signature_id LEFT JOIN statement gst ON gst.id = g.statement_id LEFT JOIN signatory gs ON gs.id = g.signatory_id`,
  count_claim: `SELECT c.id, st.key || '#' || c.position AS name FROM count_claim c JOIN statement st ON st.id = c.statement_id`,
  person_role: `SELECT r.id, p.key || '#' || r.position AS name FROM person_role r JOIN person p ON p.id = r.person_id`,
  signatory_alias: `SELECT a.id, s.key || '~' || a.normalized AS name FROM signatory_alias a JOIN signatory s ON s.id = a.signatory_id`,
  api_token: `SELECT id, name FROM api_token`,
};
