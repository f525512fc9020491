import type { Knex } from 'knex';
import { ParleyError, providerSchema, type Provider, type ProviderInput } from '#protocol';
import type { SecretVault } from '../../store';

interface ProviderRow {
  id: string;
  kind: string;
  name: string;
  base_url: string;
  default_model: string;
  timeout_ms: number;
  max_retries: number;
  extra_headers_json: string;
}

export function apiKeySecretName(providerId: string): string {
  return `provider.${providerId}.api-key`;
}

/** Providers in the app store; their API keys in the secret vault, never in this table. */
export class ProviderRepository {
  constructor(
    private readonly knex: Knex,
    private readonly secrets: SecretVault,
  ) {}

  async list(): Promise<Provider[]> {
    const rows = (await this.knex('agent_providers').orderBy('name')) as ProviderRow[];
    const keyed = new Set((await this.secrets.list()).map((secret) => secret.name));
    return rows.map((row) => toProvider(row, keyed.has(apiKeySecretName(row.id))));
  }

  async get(id: string): Promise<Provider> {
    const row = (await this.knex('agent_providers').where({ id }).first()) as ProviderRow | undefined;
    if (!row) throw new ParleyError('not_found', `No provider "${id}"`, { hint: 'Add it in the Models panel.' });
    const hasKey = (await this.secrets.get(apiKeySecretName(id))) !== undefined;
    return toProvider(row, hasKey);
  }

  async apiKey(id: string): Promise<string | undefined> {
    return this.secrets.get(apiKeySecretName(id));
  }

  async save(input: ProviderInput & { id: string }): Promise<Provider> {
    const provider = providerSchema.parse({ ...input, hasApiKey: false });
    await this.knex('agent_providers')
      .insert({
        id: provider.id,
        kind: provider.kind,
        name: provider.name,
        base_url: provider.baseUrl.replace(/\/+$/, ''),
        default_model: provider.defaultModel,
        timeout_ms: provider.timeoutMs,
        max_retries: provider.maxRetries,
        extra_headers_json: JSON.stringify(provider.extraHeaders),
        updated_at: new Date().toISOString(),
      })
      .onConflict('id')
      .merge();
    if (input.apiKey === '') await this.secrets.delete(apiKeySecretName(provider.id));
    else if (input.apiKey !== undefined) await this.secrets.set(apiKeySecretName(provider.id), input.apiKey);
    return this.get(provider.id);
  }

  async delete(id: string): Promise<boolean> {
    await this.secrets.delete(apiKeySecretName(id));
    return (await this.knex('agent_providers').where({ id }).delete()) > 0;
  }
}

function toProvider(row: ProviderRow, hasApiKey: boolean): Provider {
  return providerSchema.parse({
    id: row.id,
    kind: row.kind,
    name: row.name,
    baseUrl: row.base_url,
    defaultModel: row.default_model,
    timeoutMs: row.timeout_ms,
    maxRetries: row.max_retries,
    extraHeaders: JSON.parse(row.extra_headers_json) as unknown,
    hasApiKey,
  });
}
