import type BetterSqlite3 from 'better-sqlite3';

/** Enough for every statement the app repeats; texts that vary (IN lists of different lengths) fall out first. */
const DEFAULT_CAPACITY = 500;

/**
 * Knex prepares every statement anew, and preparing costs SQLite more than running most of ours:
 * under the WhatsApp bench it was the largest share of the store's CPU time. The connection keeps
 * its prepared statements by SQL text (least recently used out first). Safe because the store runs
 * statements with `all`/`run`/`get` only, never an iterator that a second use would interrupt, and
 * SQLite re-prepares a statement by itself after a schema change.
 */
export function cachePreparedStatements(connection: BetterSqlite3.Database, capacity = DEFAULT_CAPACITY): void {
  const prepare = connection.prepare.bind(connection);
  const cache = new Map<string, BetterSqlite3.Statement>();
  connection.prepare = ((sql: string) => {
    const cached = cache.get(sql);
    if (cached) {
      cache.delete(sql);
      cache.set(sql, cached);
      return cached;
    }
    const statement = prepare(sql);
    cache.set(sql, statement);
    if (cache.size > capacity) cache.delete(cache.keys().next().value!);
    return statement;
  }) as BetterSqlite3.Database['prepare'];
}
