import type { Knex } from 'knex';

/** A schema change. Capabilities own theirs and hand them to `openAppStore` in order. */
export interface StoreMigration {
  name: string;
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/** Knex reads migrations from this source, so bundling the backend needs no migrations folder. */
export function migrationSource(migrations: readonly StoreMigration[]): Knex.MigrationSource<StoreMigration> {
  const seen = new Set<string>();
  for (const migration of migrations) {
    if (seen.has(migration.name)) throw new Error(`Duplicate migration name: ${migration.name}`);
    seen.add(migration.name);
  }
  return {
    getMigrations: async () => [...migrations],
    getMigrationName: (migration) => migration.name,
    getMigration: async (migration) => migration,
  };
}

export const coreMigrations: StoreMigration[] = [
  {
    name: '0001_settings_and_secrets',
    async up(knex) {
      await knex.schema.createTable('settings', (table) => {
        table.string('key').primary();
        table.text('value_json').notNullable();
        table.string('updated_at').notNullable();
      });
      await knex.schema.createTable('secrets', (table) => {
        table.string('name').primary();
        // iv (12 bytes) | auth tag (16 bytes) | ciphertext, AES-256-GCM with the name as AAD.
        table.binary('sealed').notNullable();
        table.string('updated_at').notNullable();
      });
    },
    async down(knex) {
      await knex.schema.dropTable('secrets');
      await knex.schema.dropTable('settings');
    },
  },
];
