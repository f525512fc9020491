import type { Knex } from 'knex';
import type { SchemaTable } from '#protocol';
import { TableBuilder, toEstimate } from './table-builder';

const USER_RELATIONS = `c.relkind IN ('r','p','v','m','f') AND n.nspname NOT IN ('pg_catalog','information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'`;

/** PostgreSQL from pg_catalog in four queries, whatever the number of tables (a 300-table schema is one round of each). */
export async function introspectPostgres(knex: Knex): Promise<SchemaTable[]> {
  const relations = (
    await knex.raw(`SELECT c.oid::int AS oid, n.nspname AS schema, c.relname AS name, c.relkind AS kind, obj_description(c.oid, 'pg_class') AS comment, c.reltuples AS estimate
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${USER_RELATIONS}`)
  ).rows as Array<{ oid: number; schema: string; name: string; kind: string; comment: string | null; estimate: number }>;
  const columns = (
    await knex.raw(`SELECT a.attrelid::int AS oid, a.attnum AS num, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, NOT a.attnotnull AS nullable, col_description(a.attrelid, a.attnum) AS comment
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE a.attnum > 0 AND NOT a.attisdropped AND ${USER_RELATIONS} ORDER BY a.attrelid, a.attnum`)
  ).rows as Array<{ oid: number; num: number; name: string; type: string; nullable: boolean; comment: string | null }>;
  const constraints = (
    await knex.raw(`SELECT k.conrelid::int AS oid, k.contype AS type, k.conkey AS columns, k.confrelid::int AS referenced, k.confkey AS referenced_columns
      FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE k.contype IN ('p','f') AND ${USER_RELATIONS} ORDER BY k.conname`)
  ).rows as Array<{ oid: number; type: 'p' | 'f'; columns: number[]; referenced: number; referenced_columns: number[] | null }>;

  const builder = new TableBuilder<number>();
  for (const relation of relations) {
    builder.addTable(relation.oid, {
      schema: relation.schema,
      name: relation.name,
      kind: relation.kind === 'v' || relation.kind === 'm' ? 'view' : 'table',
      comment: relation.comment,
      // -1 means "never analysed" since PostgreSQL 14.
      rowEstimate: relation.kind === 'v' ? null : toEstimate(relation.estimate),
    });
  }
  const columnNames = new Map<number, Map<number, string>>();
  for (const column of columns) {
    builder.get(column.oid)?.columns.push({ name: column.name, type: column.type, nullable: column.nullable, primaryKey: false, comment: column.comment });
    if (!columnNames.has(column.oid)) columnNames.set(column.oid, new Map());
    columnNames.get(column.oid)!.set(column.num, column.name);
  }
  const nameOf = (oid: number, num: number) => columnNames.get(oid)?.get(num) ?? `#${num}`;
  for (const constraint of constraints) {
    const table = builder.get(constraint.oid);
    if (!table) continue;
    const names = constraint.columns.map((num) => nameOf(constraint.oid, num));
    if (constraint.type === 'p') {
      for (const column of table.columns) if (names.includes(column.name)) column.primaryKey = true;
    } else {
      const referenced = builder.get(constraint.referenced);
      table.foreignKeys.push({
        columns: names,
        referencedTable: referenced ? `${referenced.schema}.${referenced.name}` : `oid ${constraint.referenced}`,
        referencedColumns: (constraint.referenced_columns ?? []).map((num) => nameOf(constraint.referenced, num)),
      });
    }
  }
  return builder.build();
}
