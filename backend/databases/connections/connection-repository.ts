import type { Knex } from 'knex';
import { connectionSettingsSchema, type ConnectionSettings } from '#protocol';
import type { SecretVault } from '../../store';

export interface StoredConnection {
  name: string;
  source: 'user' | 'demo';
  settings: ConnectionSettings;
}

/** The operator's connections in the app store; each password is a sealed secret named after its connection. */
export class ConnectionRepository {
  constructor(
    private readonly knex: Knex,
    private readonly secrets: SecretVault,
  ) {}

  static passwordSecretName(name: string): string {
    return `databases.${name}.password`;
  }

  async list(): Promise<StoredConnection[]> {
    const rows = (await this.knex('database_connections').orderBy('name')) as Array<{ name: string; source: 'user' | 'demo'; settings_json: string }>;
    return rows.map((row) => ({ name: row.name, source: row.source, settings: connectionSettingsSchema.parse(JSON.parse(row.settings_json)) }));
  }

  async save(connection: StoredConnection, password: string | null | undefined): Promise<void> {
    await this.knex('database_connections')
      .insert({ name: connection.name, source: connection.source, settings_json: JSON.stringify(connection.settings), updated_at: new Date().toISOString() })
      .onConflict('name')
      .merge();
    if (password === null) await this.secrets.delete(ConnectionRepository.passwordSecretName(connection.name));
    else if (password !== undefined) await this.secrets.set(ConnectionRepository.passwordSecretName(connection.name), password);
  }

  async remove(name: string): Promise<boolean> {
    await this.secrets.delete(ConnectionRepository.passwordSecretName(name));
    return (await this.knex('database_connections').where({ name }).delete()) > 0;
  }

  password(name: string): Promise<string | undefined> {
    return this.secrets.get(ConnectionRepository.passwordSecretName(name));
  }

  async hasPassword(name: string): Promise<boolean> {
    return (await this.password(name)) !== undefined;
  }

  /** Sets a once-per-data-dir flag; false when it was already set. */
  async setFlagOnce(flag: string): Promise<boolean> {
    if (await this.knex('database_flags').where({ name: flag }).first()) return false;
    await this.knex('database_flags').insert({ name: flag, set_at: new Date().toISOString() });
    return true;
  }
}
