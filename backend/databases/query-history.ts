import type { Knex } from 'knex';
import type { QueryHistoryEntry } from '#protocol';

export type HistoryRecord = Omit<QueryHistoryEntry, 'id' | 'at'>;

/** Every query (read, write, export) with who asked, on which channel, how long it took and what came of it (rows or the error). */
export class QueryHistory {
  constructor(private readonly knex: Knex) {}

  async record(entry: HistoryRecord): Promise<void> {
    await this.knex('database_query_history').insert({
      kind: entry.kind,
      connection: entry.connection,
      channel: entry.channel,
      who: entry.who,
      sql: entry.sql,
      ms: entry.ms,
      row_count: entry.rowCount,
      error: entry.error,
      at: new Date().toISOString(),
    });
  }

  async search(options: { search?: string; connection?: string; limit: number }): Promise<QueryHistoryEntry[]> {
    const query = this.knex('database_query_history').orderBy('id', 'desc').limit(options.limit);
    if (options.connection) query.where({ connection: options.connection });
    if (options.search) {
      const like = `%${options.search.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
      query.where((where) => where.whereRaw(`sql LIKE ? ESCAPE '\\'`, [like]).orWhereRaw(`who LIKE ? ESCAPE '\\'`, [like]).orWhereRaw(`error LIKE ? ESCAPE '\\'`, [like]));
    }
    const rows = (await query) as Array<{ id: number; kind: QueryHistoryEntry['kind']; connection: string; channel: QueryHistoryEntry['channel']; who: string; sql: string; ms: number; row_count: number | null; error: string | null; at: string }>;
    return rows.map((row) => ({ id: row.id, kind: row.kind, connection: row.connection, channel: row.channel, who: row.who, sql: row.sql, ms: row.ms, rowCount: row.row_count, error: row.error, at: row.at }));
  }
}
