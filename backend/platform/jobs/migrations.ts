import type { StoreMigration } from '../../store';

export const JOBS_TABLE = 'jobs';

export const jobMigrations: StoreMigration[] = [
  {
    name: '0050_jobs',
    async up(knex) {
      await knex.schema.createTable(JOBS_TABLE, (table) => {
        // Enqueue order within a serial key; an autoincrement is never reused, unlike a timestamp it never ties.
        table.increments('seq');
        table.string('id', 36).notNullable().unique();
        table.string('queue').notNullable();
        table.text('payload_json').notNullable();
        table.string('idempotency_key');
        table.string('serial_key');
        table.string('status', 16).notNullable();
        table.integer('attempts').notNullable().defaultTo(0);
        table.integer('max_attempts').notNullable();
        // Times are epoch ms from the queue's clock, so comparisons need no SQL date functions.
        table.bigInteger('run_at').notNullable();
        table.string('lease_token', 36);
        table.bigInteger('locked_until');
        table.text('last_error');
        table.bigInteger('created_at').notNullable();
        table.bigInteger('updated_at').notNullable();
        table.bigInteger('finished_at');
        // NULL keys never collide, so jobs without an idempotency key are never duplicates.
        table.unique(['queue', 'idempotency_key'], { indexName: 'jobs_idempotency' });
        // Claim: due queued jobs in enqueue order, and expired leases (few running rows to look at).
        table.index(['queue', 'status', 'seq'], 'jobs_claim');
        // "Is an earlier job of this serial key still pending?" without scanning its done history.
        table.index(['queue', 'serial_key', 'status', 'seq'], 'jobs_serial_pending');
        // No more: every status change rewrites each index that holds the status. purgeFinished,
        // which is rare, scans.
      });
    },
    async down(knex) {
      await knex.schema.dropTable(JOBS_TABLE);
    },
  },
];
