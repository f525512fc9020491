import type { Knex } from 'knex';
import type { AuditEntry, Channel } from '#protocol';
import type { PublishEvent } from '../../platform/events';

export type AuditRecord = Omit<AuditEntry, 'id' | 'at'>;

interface AuditRow {
  id: number;
  at: number | string;
  channel: Channel;
  actor: string | null;
  tool: string;
  arguments_json: string;
  status: AuditEntry['status'];
  http_status: number | null;
  error: string | null;
  duration_ms: number;
}

/**
 * Every action call, whoever made it and however it ended; arguments arrive here already masked.
 * Rows are written behind the call, in order: a commit can wait on the disk for milliseconds and
 * the model should not. Reads wait for the writes queued before them, so what a caller just did
 * is always in what it reads next.
 */
export class AuditLog {
  private writes: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly knex: Knex,
    private readonly publish: PublishEvent,
    private readonly onWriteFailed: (error: unknown) => void,
  ) {}

  record(record: AuditRecord): void {
    this.writes = this.writes.then(() => this.insert(record)).catch(this.onWriteFailed);
  }

  /** Resolves once every row recorded so far is stored (reads and stop wait on it). */
  flushed(): Promise<void> {
    return this.writes.then(() => undefined);
  }

  private async insert(record: AuditRecord): Promise<AuditEntry> {
    const at = Date.now();
    const [inserted] = (await this.knex('actions_audit')
      .insert({
        at,
        channel: record.channel,
        actor: record.actor,
        tool: record.tool,
        arguments_json: JSON.stringify(record.arguments ?? null),
        status: record.status,
        http_status: record.httpStatus,
        error: record.error,
        duration_ms: record.durationMs,
      })
      .returning('id')) as Array<{ id: number } | number>;
    const id = typeof inserted === 'object' ? inserted.id : Number(inserted);
    const entry: AuditEntry = { id, at, ...record };
    this.publish('actions.audit.recorded', entry);
    return entry;
  }

  async latest(limit: number, tool?: string): Promise<AuditEntry[]> {
    await this.flushed();
    const query = this.knex<AuditRow>('actions_audit').orderBy('id', 'desc').limit(limit);
    if (tool) query.where({ tool });
    const rows = (await query) as AuditRow[];
    return rows.map((row) => ({
      id: row.id,
      at: Number(row.at),
      channel: row.channel,
      actor: row.actor,
      tool: row.tool,
      arguments: JSON.parse(row.arguments_json) as unknown,
      status: row.status,
      httpStatus: row.http_status,
      error: row.error,
      durationMs: row.duration_ms,
    }));
  }
}
