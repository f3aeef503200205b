import fs from 'node:fs';
import path from 'node:path';
import type { DataSource, QueryRunner } from 'typeorm';

export interface MigrationStatus {
  name: string;
  applied: boolean;
}

/** Applies every pending migration, each in its own transaction. Returns the names applied. */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  return applied.map((m) => m.name);
}

/** Reverts the most recent migration. Returns its name, or null when none is applied. */
export async function revertLastMigration(dataSource: DataSource): Promise<string | null> {
  const before = await showMigrations(dataSource);
  const last = [...before].reverse().find((m) => m.applied);
  if (!last) return null;
  await dataSource.undoLastMigration({ transaction: 'each' });
  return last.name;
}

/** Every known migration, oldest first, and whether it is applied. */
export async function showMigrations(dataSource: DataSource): Promise<MigrationStatus[]> {
  const runner = dataSource.createQueryRunner();
  try {
    const table = dataSource.options.migrationsTableName ?? 'migrations';
    const exists = await runner.hasTable(table);
    const rows: { name: string }[] = exists ? await runner.query(`SELECT "name" FROM "${table}"`) : [];
    const applied = new Set(rows.map((r) => r.name));
    return dataSource.migrations.map((m) => ({ name: m.name ?? m.constructor.name, applied: applied.has(m.name ?? m.constructor.name) }));
  } finally {
    await runner.release();
  }
}

/** The SQL that would bring the database in line with the entities; empty when they agree. */
export async function pendingSchemaChanges(dataSource: DataSource): Promise<{ up: string[]; down: string[] }> {
  const sql = await withQueriesInTurn(dataSource, () => dataSource.driver.createSchemaBuilder().log());
  return {
    up: sql.upQueries.map((q) => q.query),
    down: sql.downQueries.map((q) => q.query).reverse(),
  };
}

/**
 * Runs fn while every query runner the DataSource creates sends its queries one at a time. TypeORM's
 * schema builder reads the tables with Promise.all on one connection (typeorm#12055), which pg 8.19
 * deprecates (one client, one query in flight) and pg 9 will refuse.
 */
async function withQueriesInTurn<T>(dataSource: DataSource, fn: () => Promise<T>): Promise<T> {
  const create = dataSource.createQueryRunner;
  dataSource.createQueryRunner = (...args: Parameters<DataSource['createQueryRunner']>): QueryRunner => {
    const runner = create.apply(dataSource, args);
    const query = runner.query.bind(runner);
    let turn: Promise<unknown> = Promise.resolve();
    runner.query = ((...queryArgs: Parameters<QueryRunner['query']>) => {
      const result = turn.then(() => query(...queryArgs));
      turn = result.catch(() => undefined);
      return result;
    }) as QueryRunner['query'];
    return runner;
  };
  try {
    return await fn();
  } finally {
    dataSource.createQueryRunner = create;
  }
}

function indent(queries: string[]): string {
  const literal = (q: string) => '`' + q.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${') + '`';
  return queries.map((q) => `    await queryRunner.query(${literal(q.replace(/\s+$/, '').replace(/ {2,}/g, ' '))});`).join('\n');
}

/**
 * Writes `<timestamp>-<Name>.ts` with the SQL that brings the (fully migrated) database in line
 * with the entities. Returns the file path, or null when there is nothing to generate.
 */
export async function generateMigration(dataSource: DataSource, name: string, directory: string): Promise<string | null> {
  if (!/^[A-Z][A-Za-z0-9]*$/.test(name)) {
    throw new Error(`a migration name is PascalCase letters and digits, e.g. AddTopicIndex; got "${name}"`);
  }
  const { up, down } = await pendingSchemaChanges(dataSource);
  if (up.length === 0) return null;
  const timestamp = Date.now();
  const className = `${name}${timestamp}`;
  const file = path.join(directory, `${timestamp}-${name}.ts`);
  const source = `import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  name = '${className}';

  public async up(queryRunner: QueryRunner): Promise<void> {
${indent(up)}
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
${indent(down)}
  }
}
`;
  fs.mkdirSync(directory, { recursive: true });
  fs.writeFileSync(file, source);
  return file;
}
