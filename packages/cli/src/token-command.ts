import { createToken, listTokens, revokeToken, type Database } from '@jointly/server';
import { prepareArchive, withShared, type GlobalOptions, type Print } from './commands';

/** Token commands run next to a running server too: see openShared. */
function withArchive<T>(options: GlobalOptions, fn: (db: Database) => Promise<T>): Promise<T> {
  return withShared(options, async (db) => {
    await prepareArchive(db);
    return fn(db);
  });
}

/** Prints the new token once: it is stored only as a hash. */
export function tokenCreate(options: GlobalOptions & { name: string; role: string }, print: Print): Promise<void> {
  return withArchive(options, async (db) => {
    const { token, entity } = await createToken(db.dataSource.manager, options.name, options.role);
    print(token);
    process.stderr.write(`created the ${entity.role} token "${entity.name}"; it is shown only now: send it as Authorization: Bearer <token>\n`);
  });
}

/** A table, or with json an array of { name, role, prefix, createdAt, lastUsedAt, revokedAt } (never a token or its hash). */
export function tokenList(options: GlobalOptions & { json?: boolean }, print: Print): Promise<void> {
  return withArchive(options, async (db) => {
    const tokens = await listTokens(db.dataSource.manager);
    if (options.json) {
      const iso = (d: Date | null) => (d ? d.toISOString() : null);
      const rows = tokens.map((t) => ({ name: t.name, role: t.role, prefix: t.prefix, createdAt: iso(t.createdAt), lastUsedAt: iso(t.lastUsedAt), revokedAt: iso(t.revokedAt) }));
      print(JSON.stringify(rows, null, 2));
      return;
    }
    if (tokens.length === 0) {
      print('no tokens; create one with `jointly token create --name NAME --role editor`');
      return;
    }
    const day = (d: Date | null) => (d ? d.toISOString().slice(0, 16).replace('T', ' ') : '-');
    print(['NAME', 'ROLE', 'PREFIX', 'CREATED', 'LAST USED', 'REVOKED'].join('\t'));
    for (const t of tokens) print([t.name, t.role, `${t.prefix}…`, day(t.createdAt), day(t.lastUsedAt), day(t.revokedAt)].join('\t'));
  });
}

export function tokenRevoke(name: string, options: GlobalOptions, print: Print): Promise<void> {
  return withArchive(options, async (db) => {
    await revokeToken(db.dataSource.manager, name);
    print(`revoked "${name}": requests with it are now UNAUTHENTICATED`);
  });
}
