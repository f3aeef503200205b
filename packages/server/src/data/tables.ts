import type { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import type { EntityMetadata } from 'typeorm/metadata/EntityMetadata';

/** A column as the database has it, under the property name the code uses. */
export interface ColumnDescription {
  /** The entity's property, e.g. `officialName`. */
  readonly property: string;
  /** The column, e.g. `official_name`. */
  readonly name: string;
  /** The PostgreSQL type as TypeORM declares it (`uuid`, `text`, `timestamp with time zone`…). */
  readonly type: string;
  readonly nullable: boolean;
  readonly array: boolean;
  /** Read by a plain select (a column TypeORM marks `select: false` is not). */
  readonly selected: boolean;
  /** The type jsonb_to_recordset reads the column's values as, in bulk writes (`text`, `uuid`, `text[]`…). */
  readonly recordType: string;
}

/** A relation by a foreign key: to one row of `table` (this table's `column`) or to many (their `column`). */
export interface RelationDescription {
  readonly property: string;
  readonly kind: 'one' | 'many';
  readonly table: string;
  /** `one`: the column of this table that holds the other row's id; `many`: the column of the other table that holds this row's id. */
  readonly column: string;
}

/** A keyset order a list can be paged in: an index whose columns end with the primary key. */
export interface OrderingDescription {
  /** The index it rests on. */
  readonly index: string;
  /** Its columns, the primary key last. */
  readonly columns: readonly string[];
}

/** One table: its columns, keys, relations, soft delete and orders. */
export interface TableDescription {
  readonly name: string;
  readonly columns: readonly ColumnDescription[];
  /** The primary key's columns (`id` for every table of the archive). */
  readonly primaryKey: readonly string[];
  /** The stable key a bundle names a record by (a unique `key` column), when the table has one. */
  readonly naturalKey: string | null;
  /** The column whose value marks a row deleted (`deleted_at`), when the table soft-deletes. */
  readonly softDelete: string | null;
  /** The optimistic-locking version column, stepped by the database on every changing write. */
  readonly version: string | null;
  readonly relations: readonly RelationDescription[];
  readonly orderings: readonly OrderingDescription[];
  /**
   * Part of the archive (every table but the tokens'): its changes are history (the audit triggers
   * write `revision` rows, except for `revision` itself) and news (the notify trigger feeds the
   * response cache and other processes). A migration that adds such a table adds its triggers; the
   * tables e2e test fails for a table without them.
   */
  readonly archive: boolean;
  /** The column of a property; throws for a property the table does not have. */
  column(property: string): ColumnDescription;
  /** A column by its name; throws for a column the table does not have. */
  columnNamed(name: string): ColumnDescription;
}

export interface Tables {
  readonly all: readonly TableDescription[];
  /** The table of an entity class, or by its name. */
  of(entity: EntityTarget<ObjectLiteral> | string): TableDescription;
}

const described = new WeakMap<DataSource, Tables>();

/**
 * The one description of the archive's tables, built once per DataSource from the TypeORM entity
 * metadata (the entities are where a column is declared; the migrations are checked against them
 * by `jointly migrate check`). Readers take column lists, keys, relations and orders from here
 * rather than from their own lists.
 */
export function describeTables(dataSource: DataSource): Tables {
  let tables = described.get(dataSource);
  if (!tables) {
    const all = dataSource.entityMetadatas.map(describe);
    const byName = new Map(all.map((t) => [t.name, t]));
    tables = {
      all,
      of(entity) {
        const name = typeof entity === 'string' ? entity : dataSource.getMetadata(entity).tableName;
        const table = byName.get(name);
        if (!table) throw new Error(`no table "${name}" in the description`);
        return table;
      },
    };
    described.set(dataSource, tables);
  }
  return tables;
}

/** The tables outside the archive: API tokens are access, not records (no history, no change news). */
const OUTSIDE_THE_ARCHIVE = new Set(['api_token']);

function describe(metadata: EntityMetadata): TableDescription {
  const columns: ColumnDescription[] = metadata.columns.map((c) => {
    const type = typeof c.type === 'string' ? c.type : dataTypeName(c.type);
    return {
      property: c.propertyName,
      name: c.databaseName,
      type,
      nullable: c.isNullable,
      array: c.isArray,
      selected: c.isSelect,
      recordType: `${RECORD_TYPES[type] ?? type}${c.isArray ? '[]' : ''}`,
    };
  });
  const byProperty = new Map(columns.map((c) => [c.property, c]));
  const byName = new Map(columns.map((c) => [c.name, c]));
  const primaryKey = metadata.primaryColumns.map((c) => c.databaseName);
  const key = metadata.uniques.find((u) => u.columns.length === 1 && u.columns[0]!.databaseName === 'key');
  const relations: RelationDescription[] = metadata.relations.flatMap((r): RelationDescription[] => {
    if (r.isManyToOne || r.isOneToOneOwner) return [{ property: r.propertyName, kind: 'one', table: r.inverseEntityMetadata.tableName, column: r.joinColumns[0]!.databaseName }];
    if (r.isOneToMany && r.inverseRelation) return [{ property: r.propertyName, kind: 'many', table: r.inverseEntityMetadata.tableName, column: r.inverseRelation.joinColumns[0]!.databaseName }];
    return [];
  });
  const orderings: OrderingDescription[] = metadata.indices
    .map((index) => ({ index: index.name, columns: index.columns.map((c) => c.databaseName) }))
    .filter((o) => o.columns.length > 1 && primaryKey.length === 1 && o.columns[o.columns.length - 1] === primaryKey[0]);
  return {
    name: metadata.tableName,
    columns,
    primaryKey,
    naturalKey: key ? 'key' : null,
    softDelete: metadata.deleteDateColumn?.databaseName ?? null,
    version: byProperty.has('version') ? byProperty.get('version')!.name : null,
    relations,
    orderings,
    archive: !OUTSIDE_THE_ARCHIVE.has(metadata.tableName),
    column(property) {
      const column = byProperty.get(property);
      if (!column) throw new Error(`the table "${metadata.tableName}" has no column for the property "${property}"`);
      return column;
    },
    columnNamed(name) {
      const column = byName.get(name);
      if (!column) throw new Error(`the table "${metadata.tableName}" has no column "${name}"`);
      return column;
    },
  };
}

/** TypeORM's column types as jsonb_to_recordset reads them (the rest by their own name). */
const RECORD_TYPES: Record<string, string> = {
  varchar: 'text',
  char: 'text',
  'character varying': 'text',
  int: 'integer',
  int4: 'integer',
  number: 'integer',
  string: 'text',
  'timestamp with time zone': 'timestamptz',
};

/** A column type TypeORM holds as a constructor (`Number`, `Date`…), by its name. */
function dataTypeName(type: unknown): string {
  return typeof type === 'function' ? type.name.toLowerCase() : String(type);
}
