import type { Knex } from 'knex';
import { channelSchema, type Channel } from '#protocol';

export interface ToolPolicy {
  channels: Channel[];
  confirm: boolean;
}

/** Console and API by default; WhatsApp contacts only once the operator allows it per tool. */
export const DEFAULT_CHANNELS: readonly Channel[] = ['console', 'api'];

/** What a tool gets before the operator says otherwise: calls that change things wait for approval. */
export function defaultPolicy(readOnly: boolean): ToolPolicy {
  return { channels: [...DEFAULT_CHANNELS], confirm: !readOnly };
}

/**
 * The operator's per-tool choices, kept in memory for the agent loop (a tool's channels are read
 * on every turn) and written through to the store. A policy outlives its tool: an MCP server that
 * restarts or a re-import keeps what the operator chose.
 */
export class ToolPolicies {
  private readonly chosen = new Map<string, ToolPolicy>();

  constructor(private readonly knex: Knex) {}

  async load(): Promise<void> {
    const rows = (await this.knex('actions_policies').select()) as Array<{ tool: string; channels_json: string; confirm: number | boolean }>;
    for (const row of rows) {
      const channels = channelSchema.array().safeParse(JSON.parse(row.channels_json));
      this.chosen.set(row.tool, { channels: channels.success ? channels.data : [...DEFAULT_CHANNELS], confirm: Boolean(row.confirm) });
    }
  }

  get(tool: string, readOnly: boolean): ToolPolicy {
    return this.chosen.get(tool) ?? defaultPolicy(readOnly);
  }

  async set(tool: string, policy: ToolPolicy): Promise<void> {
    const channels = [...new Set(policy.channels)];
    await this.knex('actions_policies')
      .insert({ tool, channels_json: JSON.stringify(channels), confirm: policy.confirm })
      .onConflict('tool')
      .merge();
    this.chosen.set(tool, { channels, confirm: policy.confirm });
  }

  async forget(tool: string): Promise<void> {
    await this.knex('actions_policies').where({ tool }).delete();
    this.chosen.delete(tool);
  }
}
