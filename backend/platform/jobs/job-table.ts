import type { Knex } from 'knex';
import type { JobListFilter, JobStatus, QueueCounts } from './job-queue';
import { JOBS_TABLE } from './migrations';
import type { JobRow } from './job-row';

/** A job that a worker may try to claim, with what the claim needs to decide. */
export interface ClaimCandidate {
  id: string;
  status: JobStatus;
  attempts: number;
  maxAttempts: number;
}

export interface NewJobRow {
  id: string;
  queue: string;
  payloadJson: string;
  idempotencyKey: string | null;
  serialKey: string | null;
  maxAttempts: number;
  runAt: number;
  now: number;
}

/**
 * Every statement the queue runs, through knex's builder only (portable SQL: no dialect functions,
 * times passed in as epoch ms). State changes of a running job are conditional on its lease token,
 * so a worker that lost its lease changes nothing.
 */
export class JobTable {
  constructor(
    private readonly knex: Knex,
    /** When given, enqueues go ahead of the store's queue and are synced to disk: callers answer on them (a webhook's 200). */
  ) {}

  private jobs(alias?: string): Knex.QueryBuilder {
    return this.knex(alias ? `${JOBS_TABLE} as ${alias}` : JOBS_TABLE);
  }

  /** Inserts unless the idempotency key is taken; returns the id of the job that holds the key. */
  async insertUnlessDuplicate(job: NewJobRow): Promise<{ id: string; duplicate: boolean }> {
    const insert = this.jobs().insert({
      id: job.id,
      queue: job.queue,
      payload_json: job.payloadJson,
      idempotency_key: job.idempotencyKey,
      serial_key: job.serialKey,
      status: 'queued',
      attempts: 0,
      max_attempts: job.maxAttempts,
      run_at: job.runAt,
      created_at: job.now,
      updated_at: job.now,
    });
    if (job.idempotencyKey === null) {
      await insert;
      return { id: job.id, duplicate: false };
    }
    // ON CONFLICT DO NOTHING returns no row for a duplicate; then the key's holder is the answer.
    const idempotent = insert.onConflict(['queue', 'idempotency_key']).ignore().returning('id');
    const inserted = (await idempotent) as Array<{ id: string }>;
    if (inserted.length) return { id: job.id, duplicate: false };
    const holder = (await this.jobs().first('id').where({ queue: job.queue, idempotency_key: job.idempotencyKey })) as { id: string } | undefined;
    if (!holder) throw new Error(`Job with idempotency key ${job.idempotencyKey} vanished right after enqueue (purged concurrently?)`);
    return { id: holder.id, duplicate: true };
  }

  /**
   * Jobs that may run now, oldest first: due queued jobs and running jobs whose lease expired, each
   * the earliest pending job of its serial key (a job waiting on its retry backoff holds its key).
   */
  async findClaimCandidates(queue: string, now: number, limit: number, includeExpiredLeases: boolean): Promise<ClaimCandidate[]> {
    // Two queries rather than one with OR: each then walks its own index in order and stops at the
    // limit, instead of the whole queue's history being scanned and sorted.
    const [due, expired] = await Promise.all([
      this.keyHeadsPastTime(queue, 'queued', 'run_at', now, limit),
      includeExpiredLeases ? this.keyHeadsPastTime(queue, 'running', 'locked_until', now, limit) : [],
    ]);
    return [...due, ...expired]
      .sort((a, b) => Number(a.seq) - Number(b.seq))
      .slice(0, limit)
      .map((row) => ({ id: row.id, status: row.status, attempts: Number(row.attempts), maxAttempts: Number(row.max_attempts) }));
  }

  private async keyHeadsPastTime(queue: string, status: JobStatus, timeColumn: 'run_at' | 'locked_until', now: number, limit: number) {
    return (await this.jobs('j')
      .select('j.id', 'j.seq', 'j.status', 'j.attempts', 'j.max_attempts')
      .where({ 'j.queue': queue, 'j.status': status })
      .where(`j.${timeColumn}`, '<=', now)
      .whereNotExists((earlier) => this.earlierPendingOfSameKey(earlier, 'j'))
      .orderBy('j.seq')
      .limit(limit)) as Array<Pick<JobRow, 'id' | 'seq' | 'status' | 'attempts' | 'max_attempts'>>;
  }

  /** One conditional UPDATE: it takes the job only if it is still claimable and still heads its key. */
  async claim(id: string, leaseToken: string, now: number, leaseMs: number): Promise<JobRow | undefined> {
    const claimed = (await this.jobs()
      .where({ id })
      .where((claimable) => this.whereClaimable(claimable, JOBS_TABLE, now))
      .whereNotExists((earlier) => this.earlierPendingOfSameKey(earlier, JOBS_TABLE))
      .update({
        status: 'running',
        lease_token: leaseToken,
        locked_until: now + leaseMs,
        attempts: this.knex.raw('?? + 1', ['attempts']),
        updated_at: now,
      })
      .returning('*')) as JobRow[];
    return claimed[0];
  }

  /** A lease that expired on the last attempt (a worker died in it): dead-letter instead of running it again. */
  async deadLetterAbandoned(id: string, now: number): Promise<boolean> {
    const changed = await this.jobs()
      .where({ id, status: 'running' })
      .where('locked_until', '<=', now)
      .where('attempts', '>=', this.knex.ref('max_attempts'))
      .update({ ...finished('dead', now), last_error: 'The worker running the last attempt stopped without finishing it (lease expired).' });
    return changed === 1;
  }

  async renewLease(id: string, leaseToken: string, lockedUntil: number, now: number): Promise<boolean> {
    return (await this.whereLeaseHeld(id, leaseToken).update({ locked_until: lockedUntil, updated_at: now })) === 1;
  }

  async complete(id: string, leaseToken: string, now: number): Promise<boolean> {
    return (await this.whereLeaseHeld(id, leaseToken).update(finished('done', now))) === 1;
  }

  async scheduleRetry(id: string, leaseToken: string, runAt: number, error: string, now: number): Promise<boolean> {
    const changed = await this.whereLeaseHeld(id, leaseToken).update({ ...unlocked('queued', now), run_at: runAt, last_error: error });
    return changed === 1;
  }

  async deadLetter(id: string, leaseToken: string, error: string, now: number): Promise<boolean> {
    return (await this.whereLeaseHeld(id, leaseToken).update({ ...finished('dead', now), last_error: error })) === 1;
  }

  /** Gives the job back without counting the attempt: the queue stopped, the job did not fail. */
  async release(id: string, leaseToken: string, now: number): Promise<boolean> {
    const changed = await this.whereLeaseHeld(id, leaseToken).update({
      ...unlocked('queued', now),
      run_at: now,
      attempts: this.knex.raw('?? - 1', ['attempts']),
    });
    return changed === 1;
  }

  async requeueDead(id: string, now: number): Promise<boolean> {
    const changed = await this.jobs().where({ id, status: 'dead' }).update({ ...unlocked('queued', now), run_at: now, attempts: 0, finished_at: null });
    return changed === 1;
  }

  async get(id: string): Promise<JobRow | undefined> {
    return (await this.jobs().first('*').where({ id })) as JobRow | undefined;
  }

  async list(filter: JobListFilter): Promise<JobRow[]> {
    const query = this.jobs().select('*').orderBy('seq', 'desc').limit(filter.limit ?? 100);
    if (filter.queue !== undefined) query.where('queue', filter.queue);
    if (filter.status !== undefined) query.where('status', filter.status);
    if (filter.serialKey !== undefined) query.where('serial_key', filter.serialKey);
    return (await query) as JobRow[];
  }

  async counts(): Promise<QueueCounts[]> {
    const rows = (await this.jobs().select('queue', 'status').count({ count: '*' }).groupBy('queue', 'status').orderBy('queue')) as Array<{
      queue: string;
      status: JobStatus;
      count: number | string;
    }>;
    const byQueue = new Map<string, QueueCounts>();
    for (const row of rows) {
      const counts = byQueue.get(row.queue) ?? { queue: row.queue, queued: 0, running: 0, done: 0, dead: 0 };
      counts[row.status] = Number(row.count);
      byQueue.set(row.queue, counts);
    }
    return [...byQueue.values()];
  }

  async purgeDone(finishedBefore: number): Promise<number> {
    return this.jobs().where({ status: 'done' }).where('finished_at', '<', finishedBefore).delete();
  }

  private whereLeaseHeld(id: string, leaseToken: string): Knex.QueryBuilder {
    return this.jobs().where({ id, lease_token: leaseToken, status: 'running' });
  }

  private whereClaimable(builder: Knex.QueryBuilder, table: string, now: number): void {
    builder
      .where((queued) => queued.where(`${table}.status`, 'queued').where(`${table}.run_at`, '<=', now))
      .orWhere((expired) => expired.where(`${table}.status`, 'running').where(`${table}.locked_until`, '<=', now));
  }

  private earlierPendingOfSameKey(builder: Knex.QueryBuilder, table: string): void {
    builder
      .select(this.knex.raw('1'))
      .from(`${JOBS_TABLE} as earlier`)
      .where('earlier.queue', this.knex.ref(`${table}.queue`))
      .where('earlier.serial_key', this.knex.ref(`${table}.serial_key`))
      .whereIn('earlier.status', ['queued', 'running'])
      .where('earlier.seq', '<', this.knex.ref(`${table}.seq`));
  }
}

function unlocked(status: JobStatus, now: number) {
  return { status, lease_token: null, locked_until: null, updated_at: now };
}

function finished(status: 'done' | 'dead', now: number) {
  return { ...unlocked(status, now), finished_at: now };
}
