import { readFile } from 'node:fs/promises';
import type { Knex } from 'knex';
import { mcpServerConfigSchema, mcpServersFileSchema, ParleyError, type McpServerConfig, type McpServerSummary } from '#protocol';
import type { Logger } from '../../platform/observability';
import type { SecretVault } from '../../store';
import type { ActionTools } from '../tools/action-tools';
import { DEFAULT_RESTART_POLICY, McpConnection, type RestartPolicy } from './mcp-connection';

interface Dependencies {
  knex: Knex;
  secrets: SecretVault;
  tools: ActionTools;
  logger: Logger;
  onChange(): void;
  restart?: RestartPolicy;
}

/** Env values and headers: what `actions.mcp.<name>` seals, and what the stored row leaves out. */
type SealedParts = { env?: Record<string, string>; headers?: Record<string, string> };
const secretName = (name: string) => `actions.mcp.${name}`;

/**
 * The MCP servers: the operator's (stored, with env values and headers sealed in the vault) and
 * those of PARLEY_MCP_CONFIG in server mode (read at start, never stored).
 */
export class McpServers {
  private readonly connections = new Map<string, McpConnection>();

  constructor(private readonly deps: Dependencies) {}

  list(): McpServerSummary[] {
    return [...this.connections.values()].map((connection) => connection.summary());
  }

  async add(name: string, config: McpServerConfig): Promise<McpServerSummary> {
    if (this.connections.has(name)) throw new ParleyError('conflict', `An MCP server named "${name}" exists`, { hint: 'Remove it first, or pick another name.' });
    const { stored, sealed } = split(config);
    await this.deps.knex('actions_mcp_servers').insert({ name, config_json: JSON.stringify(stored), created_at: Date.now() });
    if (sealed) await this.deps.secrets.set(secretName(name), JSON.stringify(sealed));
    return this.open(name, config, 'user');
  }

  async remove(name: string): Promise<boolean> {
    const connection = this.connections.get(name);
    if (connection?.origin === 'config') {
      throw new ParleyError('forbidden', `"${name}" comes from PARLEY_MCP_CONFIG`, { hint: 'Remove it from that file and restart Parley.' });
    }
    this.connections.delete(name);
    await connection?.stop();
    const removed = (await this.deps.knex('actions_mcp_servers').where({ name }).delete()) > 0;
    await this.deps.secrets.delete(secretName(name));
    this.deps.onChange();
    return removed || connection !== undefined;
  }

  async restart(name: string): Promise<McpServerSummary> {
    const connection = this.connections.get(name);
    if (!connection) throw new ParleyError('not_found', `No MCP server named "${name}"`);
    await connection.stop();
    await connection.start();
    return connection.summary();
  }

  async loadStored(): Promise<void> {
    const rows = (await this.deps.knex('actions_mcp_servers').orderBy('created_at')) as Array<{ name: string; config_json: string }>;
    for (const row of rows) {
      try {
        const sealed = await this.deps.secrets.get(secretName(row.name));
        const config = join(JSON.parse(row.config_json) as McpServerConfig, sealed ? (JSON.parse(sealed) as SealedParts) : undefined);
        // Servers start in the background: a slow one must not delay the backend's start.
        void this.open(row.name, mcpServerConfigSchema.parse(config), 'user');
      } catch (error) {
        this.deps.logger.error({ err: error, server: row.name }, 'stored MCP server could not be loaded');
      }
    }
  }

  /** PARLEY_MCP_CONFIG: an `mcpServers` file as Claude Desktop, Cursor and VS Code keep it. */
  async loadConfigFile(path: string): Promise<void> {
    let parsed;
    try {
      parsed = mcpServersFileSchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
    } catch (error) {
      this.deps.logger.error({ err: error, path }, 'PARLEY_MCP_CONFIG could not be read');
      return;
    }
    if (!parsed.success) {
      this.deps.logger.error({ path, issue: parsed.error.issues[0] }, 'PARLEY_MCP_CONFIG is not an mcpServers file');
      return;
    }
    for (const [name, config] of Object.entries(parsed.data.mcpServers)) {
      if (this.connections.has(name)) {
        this.deps.logger.warn({ server: name }, 'PARLEY_MCP_CONFIG names a server that already exists; skipped');
        continue;
      }
      void this.open(name, config, 'config');
    }
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.connections.values()].map((connection) => connection.stop()));
    this.connections.clear();
  }

  private async open(name: string, config: McpServerConfig, origin: 'user' | 'config'): Promise<McpServerSummary> {
    const secrets = [...Object.values('env' in config ? config.env : {}), ...Object.values('headers' in config ? config.headers : {})];
    const connection = new McpConnection(name, config, origin, {
      tools: this.deps.tools,
      logger: this.deps.logger,
      onChange: this.deps.onChange,
      restart: this.deps.restart ?? DEFAULT_RESTART_POLICY,
      secrets,
    });
    this.connections.set(name, connection);
    await connection.start();
    return connection.summary();
  }
}

function split(config: McpServerConfig): { stored: McpServerConfig; sealed: SealedParts | undefined } {
  if ('command' in config) {
    const hasEnv = Object.keys(config.env).length > 0;
    return { stored: { ...config, env: Object.fromEntries(Object.keys(config.env).map((key) => [key, ''])) }, sealed: hasEnv ? { env: config.env } : undefined };
  }
  const hasHeaders = Object.keys(config.headers).length > 0;
  return {
    stored: { ...config, headers: Object.fromEntries(Object.keys(config.headers).map((key) => [key, ''])) },
    sealed: hasHeaders ? { headers: config.headers } : undefined,
  };
}

function join(stored: McpServerConfig, sealed: SealedParts | undefined): McpServerConfig {
  if ('command' in stored) return { ...stored, env: { ...stored.env, ...sealed?.env } };
  return { ...stored, headers: { ...stored.headers, ...sealed?.headers } };
}
