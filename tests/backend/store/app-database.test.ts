import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { APP_DATABASE_FILE, openAppStore, type AppStore, type StoreMigration } from '../../../backend/store';
import { useTempDirs } from './temp-dir';

const tempDir = useTempDirs();
const open: AppStore[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((store) => store.close()));
});

async function openStore(dataDir: string, migrations?: StoreMigration[]): Promise<AppStore> {
  const store = await openAppStore({ dataDir, secretKey: undefined, migrations });
  open.push(store);
  return store;
}

async function closeStore(store: AppStore): Promise<void> {
  open.splice(open.indexOf(store), 1);
  await store.close();
}

async function tableNames(store: AppStore): Promise<string[]> {
  const rows = (await store.knex.raw("select name from sqlite_master where type = 'table' order by name")) as Array<{ name: string }>;
  return rows.map((row) => row.name);
}

describe('app database', () => {
  it('creates the database in a fresh (even not yet existing) data dir and applies the core migration', async () => {
    const dataDir = join(await tempDir(), 'nested', 'data');
    const store = await openStore(dataDir);

    expect(existsSync(join(dataDir, APP_DATABASE_FILE))).toBe(true);
    expect(store.appliedMigrations).toEqual(['0001_settings_and_secrets']);
    expect(await tableNames(store)).toEqual(expect.arrayContaining(['settings', 'secrets', 'knex_migrations']));
  });

  it('applies nothing twice when reopened, and keeps the data', async () => {
    const dataDir = await tempDir();
    const first = await openStore(dataDir);
    await first.settings.set('ui.theme', 'dark');
    await closeStore(first);

    const second = await openStore(dataDir);
    expect(second.appliedMigrations).toEqual(['0001_settings_and_secrets']);
    const rows = (await second.knex('knex_migrations').select('name')) as Array<{ name: string }>;
    expect(rows.map((row) => row.name)).toEqual(['0001_settings_and_secrets']);
    expect(await second.settings.get('ui.theme')).toBe('dark');
  });

  it("applies a capability's migration after the core ones, once", async () => {
    const dataDir = await tempDir();
    let runs = 0;
    const notes: StoreMigration = {
      name: '0100_notes',
      async up(knex) {
        runs += 1;
        await knex.schema.createTable('notes', (table) => {
          table.increments('id');
          table.string('secret_name').references('name').inTable('secrets').onDelete('CASCADE');
        });
      },
      async down(knex) {
        await knex.schema.dropTable('notes');
      },
    };
    await closeStore(await openStore(dataDir, [notes]));
    const reopened = await openStore(dataDir, [notes]);

    expect(runs).toBe(1);
    expect(reopened.appliedMigrations).toEqual(['0001_settings_and_secrets', '0100_notes']);
    expect(await tableNames(reopened)).toContain('notes');
  });

  it('refuses two migrations with the same name', async () => {
    const dataDir = await tempDir();
    const twin: StoreMigration = { name: '0001_settings_and_secrets', up: async () => {}, down: async () => {} };
    await expect(openAppStore({ dataDir, secretKey: undefined, migrations: [twin] })).rejects.toThrow(
      'Duplicate migration name: 0001_settings_and_secrets',
    );
  });

  it('runs with WAL journaling, foreign keys enforced and a busy timeout', async () => {
    const dataDir = await tempDir();
    const store = await openStore(dataDir);

    const [journal] = (await store.knex.raw('PRAGMA journal_mode')) as Array<{ journal_mode: string }>;
    const [foreignKeys] = (await store.knex.raw('PRAGMA foreign_keys')) as Array<{ foreign_keys: number }>;
    const [busy] = (await store.knex.raw('PRAGMA busy_timeout')) as Array<{ timeout: number }>;
    expect(journal?.journal_mode).toBe('wal');
    expect(foreignKeys?.foreign_keys).toBe(1);
    expect(busy?.timeout).toBe(5000);

    // Foreign keys are not just reported on: a dangling reference is refused.
    await store.knex.schema.createTable('fk_probe', (table) => {
      table.string('secret_name').notNullable().references('name').inTable('secrets');
    });
    await expect(store.knex('fk_probe').insert({ secret_name: 'no-such-secret' })).rejects.toThrow(/FOREIGN KEY constraint failed/);
    await store.settings.set('ui.theme', 'light');
    expect(existsSync(join(dataDir, `${APP_DATABASE_FILE}-wal`))).toBe(true);
  });
});
