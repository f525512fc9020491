import type { StoreMigration } from '../../store';

export const CONTACTS_TABLE = 'whatsapp_contacts';
export const MESSAGES_TABLE = 'whatsapp_messages';

export const whatsappMigrations: StoreMigration[] = [
  {
    name: '0300_whatsapp',
    async up(knex) {
      await knex.schema.createTable(CONTACTS_TABLE, (table) => {
        // The business-scoped user id when the contact has one, else the phone number (wa_id).
        table.string('id', 200).primary();
        table.string('wa_id', 200).notNullable();
        table.string('name').notNullable().defaultTo('');
        table.string('provider', 16).notNullable();
        table.string('conversation_id', 64);
        table.boolean('taken_over').notNullable().defaultTo(false);
        table.boolean('opted_out').notNullable().defaultTo(false);
        table.boolean('window_closed').notNullable().defaultTo(false);
        table.integer('unread').notNullable().defaultTo(0);
        table.bigInteger('last_message_at').notNullable();
        table.text('last_text').notNullable().defaultTo('');
        table.bigInteger('created_at').notNullable();
      });
      await knex.schema.createTable(MESSAGES_TABLE, (table) => {
        // Inbound: the provider's message id (wamid...), which is also the queue's idempotency key.
        // Outbound: our id, recorded before the send.
        table.string('id', 200).primary();
        table.string('contact_id', 200).notNullable();
        table.string('direction', 3).notNullable();
        table.string('kind', 32).notNullable();
        table.text('text').notNullable().defaultTo('');
        table.string('author', 16).notNullable();
        table.string('status', 16).notNullable();
        table.text('error');
        table.bigInteger('timestamp').notNullable();
        // Outbound: the id the provider gave the sent message; statuses refer to it.
        table.string('provider_id', 200);
        // Inbound: the first message of the turn that answered it. Outbound: that turn's batch.
        table.string('batch_id', 200);
        table.integer('part').notNullable().defaultTo(0);
        // Outbound only: "<batch>:<part>" for the agent's replies, so a resumed turn never records a part twice.
        table.string('idempotency_key', 260).unique();
        // The inbound message an outbound reply quotes; media ids and transcripts of inbound media.
        table.text('detail_json');
        table.bigInteger('created_at').notNullable();
        table.bigInteger('updated_at').notNullable();
        table.index(['contact_id', 'timestamp'], 'whatsapp_messages_contact');
        table.index(['contact_id', 'direction', 'status'], 'whatsapp_messages_pending');
        table.index(['provider_id'], 'whatsapp_messages_provider_id');
      });
    },
    async down(knex) {
      await knex.schema.dropTable(MESSAGES_TABLE);
      await knex.schema.dropTable(CONTACTS_TABLE);
    },
  },
  {
    name: '0301_whatsapp_sent_at_and_notes',
    async up(knex) {
      await knex.schema.alterTable(MESSAGES_TABLE, (table) => {
        // Outbound: when the provider accepted it. The pacer reads recent ones after a restart (so a
        // restart does not burst past the per-recipient pace), and the 'delivered' status is timed from it.
        table.bigInteger('sent_at');
        table.index(['contact_id', 'sent_at'], 'whatsapp_messages_sent');
        // What the bridge did with a message, for the operator (a confirmation decided, a document added).
        table.text('note');
      });
    },
    async down(knex) {
      await knex.schema.alterTable(MESSAGES_TABLE, (table) => {
        table.dropIndex(['contact_id', 'sent_at'], 'whatsapp_messages_sent');
        table.dropColumn('sent_at');
        table.dropColumn('note');
      });
    },
  },
];
