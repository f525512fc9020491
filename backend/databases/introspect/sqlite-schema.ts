import type { Knex } from 'knex';
import type { SchemaTable } from '#protocol';
import { TableBuilder } from './table-builder';

/** SQLite from sqlite_schema and the table pragmas; row counts are exact (SQLite keeps no estimate). */
export async function introspectSqlite(knex: Knex): Promise<SchemaTable[]> {
  const objects = (await knex.raw(`SELECT name, type FROM sqlite_master WHERE type IN ('table','view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'`)) as Array<{ name: string; type: string }>;
  const builder = new TableBuilder<string>();
  for (const object of objects) {
    const view = object.type === 'view';
    const quoted = `"${object.name.replaceAll('"', '""')}"`;
    const count = view ? null : Number(((await knex.raw(`SELECT count(*) AS n FROM ${quoted}`)) as Array<{ n: number }>)[0]?.n ?? 0);
    builder.addTable(object.name, { schema: null, name: object.name, kind: view ? 'view' : 'table', comment: null, rowEstimate: count });
    const table = builder.get(object.name)!;
    const columns = (await knex.raw(`SELECT name, type, "notnull" AS not_null, pk FROM pragma_table_info(?)`, [object.name])) as Array<{ name: string; type: string; not_null: number; pk: number }>;
    for (const column of columns) table.columns.push({ name: column.name, type: column.type || 'ANY', nullable: column.not_null === 0 && column.pk === 0, primaryKey: column.pk > 0, comment: null });
    const keys = (await knex.raw(`SELECT id, "table" AS referenced, "from" AS fromColumn, "to" AS toColumn FROM pragma_foreign_key_list(?) ORDER BY id, seq`, [object.name])) as Array<{ id: number; referenced: string; fromColumn: string; toColumn: string | null }>;
    const byId = new Map<number, typeof keys>();
    for (const key of keys) byId.set(key.id, [...(byId.get(key.id) ?? []), key]);
    for (const parts of byId.values()) {
      table.foreignKeys.push({ columns: parts.map((part) => part.fromColumn), referencedTable: parts[0]!.referenced, referencedColumns: parts.map((part) => part.toColumn ?? 'rowid') });
    }
  }
  return builder.build();
}
