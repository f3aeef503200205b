import { createToken, listTokens, openDatabase, prepareDatabase, revokeToken } from '@jointly/server';
import { configFrom, type GlobalOptions, type Print } from './commands';

async function withArchive<T>(options: GlobalOptions, fn: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>): Promise<T> {
  const db = await openDatabase(configFrom(options));
  try {
    await prepareDatabase(db.dataSource, { seed: false });
    return await fn(db);
  } finally {
    await db.close();
  }
}

/** Prints the new token once: it is stored only as a hash. */
export function tokenCreate(options: GlobalOptions & { name: string; role: string }, print: Print): Promise<void> {
  return withArchive(options, async (db) => {
    const { token, entity } = await createToken(db.dataSource.manager, options.name, options.role);
    print(token);
    process.stderr.write(`created the ${entity.role} token "${entity.name}"; it is shown only now: send it as Authorization: Bearer <token>\n`);
  });
}

export function tokenList(options: GlobalOptions, print: Print): Promise<void> {
  return withArchive(options, async (db) => {
    const tokens = await listTokens(db.dataSource.manager);
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
