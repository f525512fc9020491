import type { Knex } from 'knex';
import { ParleyError } from '#protocol';
import type { SpooledWebhook } from '../../platform/http';
import type { Logger } from '../../platform/observability';
import { WEBHOOK_SPOOL_TABLE } from './spool-migrations';

interface SpoolRow {
  id: number;
  path: string;
  body: Buffer;
  received_at: number;
  attempts: number;
}

/** Rows read per look at the spool. */
const BATCH = 64;
/** After a consumer failed for another reason than a malformed body: try again this much later... */
const RETRY_MS = 1_000;
/** ...up to this many times; then the delivery is set aside (kept, with its error) so it blocks no other. */
export const SPOOL_MAX_ATTEMPTS = 5;

/**
 * The main thread's side of the spool: each delivery goes to its webhook's consumer in arrival
 * order, and is deleted once consumed. One pass at a time; a wake-up during a pass makes another.
 * What a crash interrupts stays in the spool and is consumed after the restart.
 */
export class SpoolDrain {
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly webhooks: Map<string, SpooledWebhook>;

  constructor(
    private readonly knex: Knex,
    webhooks: readonly SpooledWebhook[],
    private readonly logger: Logger,
  ) {
    this.webhooks = new Map(webhooks.map((webhook) => [webhook.path, webhook]));
  }

  wake(): void {
    // While a failed delivery waits for its retry, new arrivals wait with it (they come after it).
    if (this.stopped || this.retryTimer) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.passes().finally(() => (this.running = undefined));
  }

  /** Finishes the delivery being consumed; what is left stays spooled for the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    await this.running;
  }

  private async passes(): Promise<void> {
    do {
      this.again = false;
      const rows = (await this.knex(WEBHOOK_SPOOL_TABLE).select('id', 'path', 'body', 'received_at', 'attempts').where('attempts', '<', SPOOL_MAX_ATTEMPTS).orderBy('id').limit(BATCH)) as SpoolRow[];
      for (const row of rows) {
        if (this.stopped) return;
        if (!(await this.consume(row))) {
          this.retryTimer = setTimeout(() => {
            this.retryTimer = undefined;
            this.wake();
          }, RETRY_MS);
          return;
        }
      }
      if (rows.length === BATCH) this.again = true;
    } while (this.again && !this.stopped);
  }

  /** False when the row must stay for a retry. */
  private async consume(row: SpoolRow): Promise<boolean> {
    const webhook = this.webhooks.get(row.path);
    try {
      if (webhook) await webhook.consume({ raw: Buffer.from(row.body), receivedAt: Number(row.received_at) });
      else this.logger.warn({ path: row.path }, 'a spooled webhook delivery has no consumer any more; dropped');
    } catch (error) {
      if (!(error instanceof ParleyError && error.code === 'bad_request')) {
        const attempts = row.attempts + 1;
        const last = attempts >= SPOOL_MAX_ATTEMPTS;
        this.logger.error({ err: error, path: row.path, spoolId: row.id, attempts }, last ? 'webhook delivery set aside in the spool after repeated failures' : `webhook delivery not consumed; retrying in ${RETRY_MS} ms`);
        await this.knex(WEBHOOK_SPOOL_TABLE).where({ id: row.id }).update({ attempts, last_error: String((error as Error).message ?? error).slice(0, 2000) });
        return last;
      }
      this.logger.warn({ path: row.path, reason: error.message, bytes: row.body.length }, 'malformed webhook delivery skipped');
    }
    await this.knex(WEBHOOK_SPOOL_TABLE).where({ id: row.id }).delete();
    return true;
  }
}
