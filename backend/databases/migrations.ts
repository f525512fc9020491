import type { StoreMigration } from '../store';

export const databaseMigrations: readonly StoreMigration[] = [
  {
    name: '0400_database_connections',
    up: async (knex) => {
      await knex.schema.createTable('database_connections', (table) => {
        table.string('name').primary();
        table.string('source').notNullable();
        /** ConnectionSettings as JSON; the password is a sealed secret, never here. */
        table.text('settings_json').notNullable();
        table.string('updated_at').notNullable();
      });
      await knex.schema.createTable('database_query_history', (table) => {
        table.increments('id');
        table.string('connection').notNullable();
        table.string('channel').notNullable();
        table.string('who').notNullable();
        table.text('sql').notNullable();
        table.integer('ms').notNullable();
        table.integer('row_count').nullable();
        table.text('error').nullable();
        table.string('at').notNullable();
        table.index(['at']);
      });
      /** Things done once per data dir (the demo connection on first run). */
      await knex.schema.createTable('database_flags', (table) => {
        table.string('name').primary();
        table.string('set_at').notNullable();
      });
    },
    down: async (knex) => {
      await knex.schema.dropTable('database_flags');
      await knex.schema.dropTable('database_query_history');
      await knex.schema.dropTable('database_connections');
    },
  },
  {
    // Writes (approved or not) and exports are told apart from reads in the history and its search.
    name: '0401_database_history_kind',
    up: async (knex) => {
      await knex.schema.alterTable('database_query_history', (table) => {
        table.string('kind').notNullable().defaultTo('read');
      });
      await knex('database_query_history').where('sql', 'like', '-- export\n%').update({ kind: 'export', sql: knex.raw("substr(sql, 11)") });
    },
    down: async (knex) => {
      await knex.schema.alterTable('database_query_history', (table) => {
        table.dropColumn('kind');
      });
    },
  },
];
