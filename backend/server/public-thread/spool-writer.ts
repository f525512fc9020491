import { closeSync, fdatasync, openSync } from 'node:fs';
import Database from 'better-sqlite3';
import { WEBHOOK_SPOOL_TABLE } from './spool-migrations';

type PendingDelivery = { path: string; raw: Buffer; receivedAt: number; settle(error?: Error): void };

/**
 * The thread's own connection to the app store, used for one thing: appending deliveries to the
 * spool. Deliveries read in the same turn of the event loop share one transaction, so a burst costs
 * one commit. Durability is an fdatasync of the WAL after the commit, not `synchronous = FULL`:
 * FULL syncs inside the commit, holding the store's write lock for the disk's time, and the main
 * thread's writes slept in SQLite's busy handler meanwhile (seconds, under load). A committed
 * transaction's frames are in the WAL until a checkpoint moves them into the database file, which
 * SQLite syncs itself, so syncing the WAL makes the commit durable.
 *
 * The sync runs on libuv's thread pool, one at a time: a disk that takes 200 ms for one (it
 * happens) delays the deliveries of that commit, while the thread goes on reading and committing
 * the next ones, which the following sync covers together.
 * SQLite-specific on purpose; a PostgreSQL store would append with an INSERT on its own pool.
 */
export class SqliteSpoolWriter {
  private readonly database: Database.Database;
  private readonly insert: Database.Statement<[string, Buffer, number]>;
  private pending: PendingDelivery[] = [];
  /** Committed, waiting for the next sync of the WAL. */
  private committed: PendingDelivery[] = [];
  private syncing: Promise<void> | undefined;
  private wal: number | undefined;

  constructor(private readonly file: string) {
    this.database = new Database(file);
    this.database.pragma('journal_mode = WAL');
    this.database.pragma('synchronous = NORMAL');
    // The main thread holds the write lock only for its own short transactions.
    this.database.pragma('busy_timeout = 5000');
    // Checkpoints run here (checkpointWal) rather than in the main thread's commits.
    this.database.pragma('wal_autocheckpoint = 0');
    this.insert = this.database.prepare(`INSERT INTO ${WEBHOOK_SPOOL_TABLE} (path, body, received_at) VALUES (?, ?, ?)`);
  }

  /** Resolves once the delivery is committed and on disk. */
  append(path: string, raw: Buffer, receivedAt: number): Promise<void> {
    return new Promise((resolve, reject) => {
      if (!this.pending.length) setImmediate(() => this.commitPending());
      this.pending.push({ path, raw, receivedAt, settle: (error) => (error ? reject(error) : resolve()) });
    });
  }

  /**
   * Copies what the WAL holds into the database file, as far as no reader still needs it (PASSIVE:
   * it never waits for the main thread). Run often, so the WAL stays small and reads stay fast.
   */
  checkpointWal(): void {
    this.database.pragma('wal_checkpoint(PASSIVE)');
  }

  /** Commits and syncs what was appended, then closes. */
  async close(): Promise<void> {
    this.commitPending();
    while (this.syncing) await this.syncing;
    this.database.close();
    if (this.wal !== undefined) closeSync(this.wal);
    this.wal = undefined;
  }

  private commitPending(): void {
    const batch = this.pending;
    this.pending = [];
    if (!batch.length) return;
    try {
      this.database.transaction(() => {
        for (const entry of batch) this.insert.run(entry.path, entry.raw, entry.receivedAt);
      }).immediate();
    } catch (error) {
      for (const entry of batch) entry.settle(error as Error);
      return;
    }
    this.committed.push(...batch);
    this.syncing ??= this.syncCommitted();
  }

  /** Syncs the WAL for what was committed before each sync started, until nothing waits. */
  private async syncCommitted(): Promise<void> {
    while (this.committed.length) {
      const batch = this.committed;
      this.committed = [];
      try {
        await this.syncWal();
      } catch (error) {
        for (const entry of batch) entry.settle(error as Error);
        continue;
      }
      for (const entry of batch) entry.settle();
    }
    this.syncing = undefined;
  }

  private async syncWal(): Promise<void> {
    try {
      this.wal ??= openSync(`${this.file}-wal`, 'r+');
      const wal = this.wal;
      await new Promise<void>((resolve, reject) => fdatasync(wal, (error) => (error ? reject(error) : resolve())));
    } catch (error) {
      // The WAL was replaced (a checkpoint that truncated it): open it again next time.
      if (this.wal !== undefined) closeSync(this.wal);
      this.wal = undefined;
      throw error;
    }
  }
}
