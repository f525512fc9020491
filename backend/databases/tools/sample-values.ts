import type { DatabaseDialect, SchemaTable } from '#protocol';

const TEXT_TYPE = /char|text|string|enum|citext|varchar/i;
/** Values are listed for a column with at most this many distinct values among the rows looked at. */
const LOW_CARDINALITY = 10;
const ROWS_LOOKED_AT = 10_000;
const MAX_COLUMNS = 12;

export type RunInternalQuery = (sql: string) => Promise<unknown[][]>;

function quote(dialect: DatabaseDialect, identifier: string): string {
  return dialect === 'mysql' ? `\`${identifier.replaceAll('`', '``')}\`` : `"${identifier.replaceAll('"', '""')}"`;
}

/**
 * Sample values of the low-cardinality text columns (status, category, country...) of these
 * tables, so the model writes `status = 'delivered'`, not a guess. Each lookup reads at most
 * 10,000 rows; a column with more than 10 distinct values there gets none. SQLite, PostgreSQL and
 * MySQL only (the others' LIMIT syntax differs; they get the schema without samples).
 */
export async function sampleLowCardinalityValues(dialect: DatabaseDialect, tables: readonly SchemaTable[], run: RunInternalQuery): Promise<Map<string, Record<string, string[]>>> {
  const samples = new Map<string, Record<string, string[]>>();
  if (!['sqlite', 'postgres', 'mysql'].includes(dialect)) return samples;
  let budget = MAX_COLUMNS;
  for (const table of tables) {
    const from = table.schema && dialect !== 'sqlite' ? `${quote(dialect, table.schema)}.${quote(dialect, table.name)}` : quote(dialect, table.name);
    for (const column of table.columns) {
      if (budget <= 0) return samples;
      if (!TEXT_TYPE.test(column.type) || column.primaryKey) continue;
      budget--;
      const name = quote(dialect, column.name);
      try {
        const rows = await run(`SELECT DISTINCT v FROM (SELECT ${name} AS v FROM ${from} LIMIT ${ROWS_LOOKED_AT}) AS s WHERE v IS NOT NULL ORDER BY v LIMIT ${LOW_CARDINALITY + 1}`);
        if (rows.length > 0 && rows.length <= LOW_CARDINALITY) {
          const key = table.schema ? `${table.schema}.${table.name}` : table.name;
          samples.set(key, { ...samples.get(key), [column.name]: rows.map((row) => String(row[0])) });
        }
      } catch {
        // A sample is a hint: a column that cannot be sampled (permissions, a timeout) is described without one.
      }
    }
  }
  return samples;
}
