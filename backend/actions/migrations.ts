import type { StoreMigration } from '../store';

export const actionsMigrations: StoreMigration[] = [
  {
    name: '0400_actions',
    async up(knex) {
      await knex.schema.createTable('actions_http_sources', (table) => {
        table.string('id').primary();
        table.string('title').notNullable();
        table.string('base_url').notNullable();
        // Kind, header/query name, username: the secret itself is in the vault under `actions.http.<id>`.
        table.text('auth_json').notNullable();
        table.integer('timeout_ms').notNullable();
        table.integer('max_response_bytes').notNullable();
        table.bigInteger('created_at').notNullable();
      });
      await knex.schema.createTable('actions_http_tools', (table) => {
        table.string('name').primary();
        table.string('source_id').notNullable().references('actions_http_sources.id').onDelete('CASCADE');
        table.text('operation_json').notNullable();
      });
      await knex.schema.createTable('actions_mcp_servers', (table) => {
        table.string('name').primary();
        // The config with env and header values left out: they are sealed under `actions.mcp.<name>`.
        table.text('config_json').notNullable();
        table.bigInteger('created_at').notNullable();
      });
      await knex.schema.createTable('actions_policies', (table) => {
        table.string('tool').primary();
        table.text('channels_json').notNullable();
        table.boolean('confirm').notNullable();
      });
      await knex.schema.createTable('actions_audit', (table) => {
        table.increments('id');
        table.bigInteger('at').notNullable().index();
        table.string('channel').notNullable();
        table.string('actor');
        table.string('tool').notNullable().index();
        table.text('arguments_json').notNullable();
        table.string('status').notNullable();
        table.integer('http_status');
        table.text('error');
        table.integer('duration_ms').notNullable();
      });
    },
    async down(knex) {
      for (const table of ['actions_audit', 'actions_policies', 'actions_mcp_servers', 'actions_http_tools', 'actions_http_sources']) {
        await knex.schema.dropTableIfExists(table);
      }
    },
  },
];
