import type { Knex } from 'knex';
import { openAppDatabase } from './app-database';
import { coreMigrations, type StoreMigration } from './migrations';
import { loadSecretKey, type SecretKeySource } from './secret-key';
import { SecretVault } from './secret-vault';
import { SettingsRepository } from './settings-repository';

export type { StoreMigration } from './migrations';
export type { SecretSummary } from './secret-vault';
export { SecretVault } from './secret-vault';
export { SettingsRepository } from './settings-repository';
export { APP_DATABASE_FILE } from './app-database';
export { SECRET_KEY_FILE } from './secret-key';

export interface AppStore {
  /** For capabilities' own repositories; their tables come from the migrations they contribute. */
  knex: Knex;
  settings: SettingsRepository;
  secrets: SecretVault;
  appliedMigrations: string[];
  /**
   * Applies the capabilities' migrations after the store's own (the composition root calls this
   * once every capability is built, before any of them starts).
   */
  applyMigrations(migrations: readonly StoreMigration[]): Promise<void>;
  secretKeySource: SecretKeySource;
  close(): Promise<void>;
}

export interface OpenAppStoreOptions {
  dataDir: string;
  /** Base64 AES-256 key; without it a key file in the data dir is used (created if missing). */
  secretKey: string | undefined;
  /** Capabilities' migrations, applied after the store's own, in this order. */
  migrations?: readonly StoreMigration[];
}

export async function openAppStore(options: OpenAppStoreOptions): Promise<AppStore> {
  const { key, source } = loadSecretKey(options.dataDir, options.secretKey);
  const database = await openAppDatabase(options.dataDir, [...coreMigrations, ...(options.migrations ?? [])]);
  const store: AppStore = {
    knex: database.knex,
    settings: new SettingsRepository(database.knex),
    secrets: new SecretVault(database.knex, key),
    appliedMigrations: database.appliedMigrations,
    async applyMigrations(migrations) {
      store.appliedMigrations = await database.migrate([...coreMigrations, ...migrations]);
    },
    secretKeySource: source,
    close: database.close,
  };
  return store;
}
