import type { SchemaTable } from '#protocol';

const MAX_TABLES = 12;

/**
 * The part of a schema a question needs: tables whose names, column names or comments share a
 * word with the question, then the tables their foreign keys point to (so joins can be written),
 * at most `MAX_TABLES`. A 500-table database must not fill the model's context.
 */
export function relevantTables(tables: readonly SchemaTable[], question: string | undefined, named: readonly string[] = []): SchemaTable[] {
  const wanted = new Set(named.map((name) => name.toLowerCase()));
  const words = new Set((question ?? '').toLowerCase().split(/[^\p{L}\p{N}_]+/u).filter((word) => word.length >= 3).flatMap((word) => [word, word.replace(/(es|s)$/, '')]));
  const scored = tables
    .map((table) => ({ table, score: scoreOf(table, wanted, words) }))
    .filter((entry) => entry.score > 0)
    .sort((a, b) => b.score - a.score);
  const picked = new Map<string, SchemaTable>();
  const byName = new Map(tables.flatMap((table) => [[qualified(table).toLowerCase(), table] as const, [table.name.toLowerCase(), table] as const]));
  for (const { table } of scored) {
    if (picked.size >= MAX_TABLES) break;
    picked.set(qualified(table), table);
    for (const key of table.foreignKeys) {
      const target = byName.get(key.referencedTable.toLowerCase());
      if (target && picked.size < MAX_TABLES) picked.set(qualified(target), target);
    }
  }
  // Nothing matched (or a small database): the first tables, so the model still sees something real.
  if (picked.size === 0) return tables.slice(0, MAX_TABLES);
  return [...picked.values()];
}

function scoreOf(table: SchemaTable, wanted: ReadonlySet<string>, words: ReadonlySet<string>): number {
  if (wanted.has(table.name.toLowerCase()) || wanted.has(qualified(table).toLowerCase())) return 100;
  let score = 0;
  const matches = (text: string | null) => text !== null && text.toLowerCase().split(/[^\p{L}\p{N}]+/u).some((part) => words.has(part) || words.has(part.replace(/(es|s)$/, '')));
  if (matches(table.name.replaceAll('_', ' '))) score += 10;
  if (matches(table.comment)) score += 4;
  for (const column of table.columns) if (matches(column.name.replaceAll('_', ' ')) || matches(column.comment)) score += 2;
  return score;
}

export function qualified(table: SchemaTable): string {
  return table.schema ? `${table.schema}.${table.name}` : table.name;
}

/** A compact text form for the model: one line per table, its columns with types and keys. */
export function describeForModel(tables: readonly SchemaTable[]): Array<Record<string, unknown>> {
  return tables.map((table) => ({
    table: qualified(table),
    kind: table.kind,
    ...(table.comment ? { comment: table.comment } : {}),
    ...(table.rowEstimate !== null ? { rows: table.rowEstimate } : {}),
    columns: table.columns.map((column) => `${column.name} ${column.type}${column.primaryKey ? ' PK' : ''}${column.nullable ? '' : ' NOT NULL'}${column.comment ? ` -- ${column.comment}` : ''}`),
    ...(table.foreignKeys.length > 0 ? { foreignKeys: table.foreignKeys.map((key) => `(${key.columns.join(', ')}) → ${key.referencedTable}(${key.referencedColumns.join(', ')})`) } : {}),
  }));
}
