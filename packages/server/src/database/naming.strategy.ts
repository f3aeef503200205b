import { DefaultNamingStrategy, type NamingStrategyInterface, type Table } from 'typeorm';

const snake = (s: string): string => s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
const tableName = (t: Table | string): string => (typeof t === 'string' ? t : t.name).replace(/^.*\./, '');

/**
 * snake_case columns and readable, deterministic constraint names
 * (`pk_statement`, `uq_signature_statement_id_signatory_id`, `fk_signature_statement_id`, `ix_...`, `ck_...`),
 * so migrations and error messages name things a person can find.
 */
export class JointlyNamingStrategy extends DefaultNamingStrategy implements NamingStrategyInterface {
  override columnName(propertyName: string, customName: string | undefined, prefixes: string[]): string {
    return snake([...prefixes, customName ?? propertyName].join('_'));
  }
  override joinColumnName(relationName: string, referencedColumnName: string): string {
    return snake(`${relationName}_${referencedColumnName}`);
  }
  override joinTableColumnName(tableName: string, propertyName: string, columnName?: string): string {
    return snake(`${tableName}_${columnName ?? propertyName}`);
  }
  override primaryKeyName(table: Table | string): string {
    return `pk_${tableName(table)}`;
  }
  override uniqueConstraintName(table: Table | string, columns: string[]): string {
    return `uq_${tableName(table)}_${columns.join('_')}`;
  }
  override relationConstraintName(table: Table | string, columns: string[]): string {
    return `uq_${tableName(table)}_${columns.join('_')}`;
  }
  override foreignKeyName(table: Table | string, columns: string[]): string {
    return `fk_${tableName(table)}_${columns.join('_')}`;
  }
  override indexName(table: Table | string, columns: string[]): string {
    return `ix_${tableName(table)}_${columns.join('_')}`;
  }
  override checkConstraintName(table: Table | string, expression: string): string {
    const column = /"?([a-z_]+)"?/.exec(expression)?.[1] ?? 'check';
    return `ck_${tableName(table)}_${column}`;
  }
}
