import type { StoreMigration } from '../store';

export const agentMigrations: StoreMigration[] = [
  {
    name: '0100_agent_providers_conversations_messages',
    async up(knex) {
      await knex.schema.createTable('agent_providers', (table) => {
        table.string('id').primary();
        table.string('kind').notNullable();
        table.string('name').notNullable();
        table.string('base_url').notNullable();
        table.string('default_model').notNullable().defaultTo('');
        table.integer('timeout_ms').notNullable();
        table.integer('max_retries').notNullable();
        table.text('extra_headers_json').notNullable().defaultTo('{}');
        table.string('updated_at').notNullable();
      });
      await knex.schema.createTable('conversations', (table) => {
        table.string('id').primary();
        table.string('title').notNullable();
        table.string('channel').notNullable();
        table.string('created_at').notNullable();
        table.string('updated_at').notNullable().index();
      });
      await knex.schema.createTable('messages', (table) => {
        table.string('id').primary();
        table.string('conversation_id').notNullable().references('conversations.id').onDelete('CASCADE');
        // Order within a conversation; timestamps can tie.
        table.integer('seq').notNullable();
        table.string('role').notNullable();
        table.text('content').notNullable();
        table.text('tool_calls_json').notNullable().defaultTo('[]');
        table.text('tool_result_json');
        table.text('meta_json');
        table.string('status').notNullable();
        table.string('created_at').notNullable();
        table.unique(['conversation_id', 'seq']);
      });
    },
    async down(knex) {
      await knex.schema.dropTable('messages');
      await knex.schema.dropTable('conversations');
      await knex.schema.dropTable('agent_providers');
    },
  },
];
