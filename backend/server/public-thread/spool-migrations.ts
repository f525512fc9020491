import type { StoreMigration } from '../../store';

export const WEBHOOK_SPOOL_TABLE = 'webhook_spool';

/** Deliveries answered 200 and not yet consumed: the public listener's thread appends, the main thread deletes what it consumed. */
export const webhookSpoolMigrations: StoreMigration[] = [
  {
    name: '0060_webhook_spool',
    async up(knex) {
      await knex.schema.createTable(WEBHOOK_SPOOL_TABLE, (table) => {
        // Arrival order: an autoincrement never ties and is never reused.
        table.increments('id');
        table.string('path').notNullable();
        table.binary('body').notNullable();
        table.bigInteger('received_at').notNullable();
        // A delivery its consumer failed on this often stays here, set aside, with the last error.
        table.integer('attempts').notNullable().defaultTo(0);
        table.text('last_error');
      });
    },
    async down(knex) {
      await knex.schema.dropTable(WEBHOOK_SPOOL_TABLE);
    },
  },
];
