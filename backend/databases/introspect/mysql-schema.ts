import type { Knex } from 'knex';
import type { SchemaTable } from '#protocol';
import { TableBuilder, toEstimate } from './table-builder';

type Rows<T> = [T[], unknown];

/** MySQL and MariaDB from information_schema, for the connection's database. */
export async function introspectMysql(knex: Knex): Promise<SchemaTable[]> {
  const [tables] = (await knex.raw(
    `SELECT TABLE_SCHEMA AS s, TABLE_NAME AS name, TABLE_TYPE AS type, TABLE_COMMENT AS comment, TABLE_ROWS AS estimate
     FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()`,
  )) as Rows<{ s: string; name: string; type: string; comment: string; estimate: number | null }>;
  const [columns] = (await knex.raw(
    `SELECT TABLE_NAME AS tableName, COLUMN_NAME AS name, COLUMN_TYPE AS type, IS_NULLABLE AS nullable, COLUMN_KEY AS columnKey, COLUMN_COMMENT AS comment
     FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, ORDINAL_POSITION`,
  )) as Rows<{ tableName: string; name: string; type: string; nullable: string; columnKey: string; comment: string }>;
  const [keys] = (await knex.raw(
    `SELECT TABLE_NAME AS tableName, CONSTRAINT_NAME AS constraintName, COLUMN_NAME AS name, REFERENCED_TABLE_SCHEMA AS refSchema, REFERENCED_TABLE_NAME AS refTable, REFERENCED_COLUMN_NAME AS refColumn
     FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = DATABASE() AND REFERENCED_TABLE_NAME IS NOT NULL ORDER BY CONSTRAINT_NAME, ORDINAL_POSITION`,
  )) as Rows<{ tableName: string; constraintName: string; name: string; refSchema: string; refTable: string; refColumn: string }>;

  const builder = new TableBuilder<string>();
  for (const table of tables) {
    const view = table.type === 'VIEW';
    builder.addTable(table.name, { schema: table.s, name: table.name, kind: view ? 'view' : 'table', comment: table.comment || null, rowEstimate: view ? null : toEstimate(table.estimate) });
  }
  for (const column of columns) {
    builder.get(column.tableName)?.columns.push({ name: column.name, type: column.type, nullable: column.nullable === 'YES', primaryKey: column.columnKey === 'PRI', comment: column.comment || null });
  }
  const byConstraint = new Map<string, (typeof keys)[number][]>();
  for (const key of keys) {
    const id = `${key.tableName}\u0000${key.constraintName}`;
    byConstraint.set(id, [...(byConstraint.get(id) ?? []), key]);
  }
  for (const parts of byConstraint.values()) {
    const first = parts[0]!;
    builder.get(first.tableName)?.foreignKeys.push({
      columns: parts.map((part) => part.name),
      referencedTable: `${first.refSchema}.${first.refTable}`,
      referencedColumns: parts.map((part) => part.refColumn),
    });
  }
  return builder.build();
}
