import type { Knex } from 'knex';
import type { SchemaTable } from '#protocol';
import { TableBuilder, toEstimate } from './table-builder';

/** SQL Server from INFORMATION_SCHEMA (tables, views, columns, primary keys). */
export async function introspectMssql(knex: Knex): Promise<SchemaTable[]> {
  const tables = (await knex.raw(`SELECT TABLE_SCHEMA AS s, TABLE_NAME AS name, TABLE_TYPE AS type FROM INFORMATION_SCHEMA.TABLES`)) as Array<{ s: string; name: string; type: string }>;
  const columns = (await knex.raw(
    `SELECT c.TABLE_SCHEMA AS s, c.TABLE_NAME AS tableName, c.COLUMN_NAME AS name, c.DATA_TYPE AS type, c.IS_NULLABLE AS nullable,
       CASE WHEN k.COLUMN_NAME IS NULL THEN 0 ELSE 1 END AS pk
     FROM INFORMATION_SCHEMA.COLUMNS c
     LEFT JOIN INFORMATION_SCHEMA.TABLE_CONSTRAINTS t ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME AND t.CONSTRAINT_TYPE = 'PRIMARY KEY'
     LEFT JOIN INFORMATION_SCHEMA.KEY_COLUMN_USAGE k ON k.CONSTRAINT_NAME = t.CONSTRAINT_NAME AND k.TABLE_SCHEMA = c.TABLE_SCHEMA AND k.COLUMN_NAME = c.COLUMN_NAME
     ORDER BY c.TABLE_SCHEMA, c.TABLE_NAME, c.ORDINAL_POSITION`,
  )) as Array<{ s: string; tableName: string; name: string; type: string; nullable: string; pk: number }>;
  const builder = new TableBuilder<string>();
  for (const table of tables) builder.addTable(`${table.s}.${table.name}`, { schema: table.s, name: table.name, kind: table.type === 'VIEW' ? 'view' : 'table', comment: null, rowEstimate: null });
  for (const column of columns) builder.get(`${column.s}.${column.tableName}`)?.columns.push({ name: column.name, type: column.type, nullable: column.nullable === 'YES', primaryKey: column.pk === 1, comment: null });
  return builder.build();
}

/** Oracle from the user's own dictionary views (tables, views, columns, comments, estimates). */
export async function introspectOracle(knex: Knex): Promise<SchemaTable[]> {
  const tables = (await knex.raw(
    `SELECT t.TABLE_NAME AS "name", 'table' AS "kind", t.NUM_ROWS AS "estimate", c.COMMENTS AS "comment" FROM USER_TABLES t LEFT JOIN USER_TAB_COMMENTS c ON c.TABLE_NAME = t.TABLE_NAME
     UNION ALL SELECT VIEW_NAME, 'view', NULL, NULL FROM USER_VIEWS`,
  )) as Array<{ name: string; kind: 'table' | 'view'; estimate: number | null; comment: string | null }>;
  const columns = (await knex.raw(
    `SELECT c.TABLE_NAME AS "tableName", c.COLUMN_NAME AS "name", c.DATA_TYPE AS "type", c.NULLABLE AS "nullable", m.COMMENTS AS "comment"
     FROM USER_TAB_COLUMNS c LEFT JOIN USER_COL_COMMENTS m ON m.TABLE_NAME = c.TABLE_NAME AND m.COLUMN_NAME = c.COLUMN_NAME ORDER BY c.TABLE_NAME, c.COLUMN_ID`,
  )) as Array<{ tableName: string; name: string; type: string; nullable: string; comment: string | null }>;
  const builder = new TableBuilder<string>();
  for (const table of tables) builder.addTable(table.name, { schema: null, name: table.name, kind: table.kind, comment: table.comment, rowEstimate: toEstimate(table.estimate) });
  for (const column of columns) builder.get(column.tableName)?.columns.push({ name: column.name, type: column.type, nullable: column.nullable === 'Y', primaryKey: false, comment: column.comment });
  return builder.build();
}
