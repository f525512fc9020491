import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { McpServerConfig, McpServerSummary } from '#protocol';
import { DisposableStore } from '../../base';
import type { Logger } from '../../platform/observability';
import type { JsonSchemaObject } from '../../platform/tools';
import { ActionCallError } from '../tools/action-definition';
import type { ActionTools } from '../tools/action-tools';
import { describeTarget, httpTransport, stdioTransport, transportKind, type McpTransportKind } from './mcp-transport';

const STDERR_LINES = 20;
const CONNECT_TIMEOUT_MS = 20_000;
const CALL_TIMEOUT_MS = 60_000;

export interface RestartPolicy {
  /** First delay after a crash; doubles each time up to `maxMs`. */
  baseMs: number;
  maxMs: number;
  /** A server up this long is healthy again: the next crash starts from `baseMs`. */
  stableMs: number;
}
export const DEFAULT_RESTART_POLICY: RestartPolicy = { baseMs: 1_000, maxMs: 60_000, stableMs: 60_000 };

/**
 * One MCP server: connects, lists its tools into the agent's registry, follows
 * `notifications/tools/list_changed`, and when the process dies or the connection drops, takes
 * the tools out and reconnects after a growing delay until it is removed.
 */
export class McpConnection {
  private state: McpServerSummary['state'] = 'stopped';
  private error: string | undefined;
  private readonly stderr: string[] = [];
  private restarts = 0;
  private failuresInARow = 0;
  private nextRestartAt: number | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private client: Client | undefined;
  private toolNames: string[] = [];
  private registered = new DisposableStore();
  private readyAt = 0;
  private stopped = false;
  private generation = 0;
  /** Set after a Streamable HTTP attempt failed and the SSE one worked: stay on SSE. */
  private kind: McpTransportKind;

  constructor(
    readonly name: string,
    private readonly config: McpServerConfig,
    readonly origin: 'user' | 'config',
    private readonly deps: { tools: ActionTools; logger: Logger; onChange(): void; restart: RestartPolicy; secrets: readonly string[] },
  ) {
    this.kind = transportKind(config);
  }

  summary(): McpServerSummary {
    return {
      name: this.name,
      transport: this.kind,
      origin: this.origin,
      target: describeTarget(this.config),
      state: this.state,
      tools: this.toolNames,
      ...(this.error ? { error: this.error } : {}),
      stderrTail: [...this.stderr],
      restarts: this.restarts,
      ...(this.nextRestartAt ? { nextRestartAt: this.nextRestartAt } : {}),
    };
  }

  /** Connects; resolves once ready or failed (a failure schedules the next attempt). */
  async start(): Promise<void> {
    this.stopped = false;
    clearTimeout(this.restartTimer);
    this.nextRestartAt = undefined;
    const generation = ++this.generation;
    this.setState('starting');
    try {
      const client = await this.connect();
      if (generation !== this.generation || this.stopped) {
        await client.close().catch(() => {});
        return;
      }
      this.client = client;
      client.onclose = () => {
        if (generation === this.generation) this.lost('the server closed the connection');
      };
      const { ToolListChangedNotificationSchema } = await import('@modelcontextprotocol/sdk/types.js');
      client.setNotificationHandler(ToolListChangedNotificationSchema, async () => {
        if (generation === this.generation) await this.refreshTools(client).catch((error: unknown) => this.deps.logger.warn({ err: error, server: this.name }, 'MCP tool refresh failed'));
      });
      await this.refreshTools(client);
      this.readyAt = Date.now();
      this.error = undefined;
      this.setState('ready');
    } catch (error) {
      if (generation !== this.generation) return;
      this.lost(error instanceof Error ? error.message : String(error));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.generation++;
    clearTimeout(this.restartTimer);
    this.nextRestartAt = undefined;
    this.unregister();
    const client = this.client;
    this.client = undefined;
    this.setState('stopped');
    await client?.close().catch(() => {});
  }

  private async connect(): Promise<Client> {
    if ('command' in this.config) return this.connectWith(await stdioTransport(this.config, (line) => this.noteStderr(line)));
    if (this.kind === 'sse') return this.connectWith(await httpTransport(this.config, 'sse'));
    try {
      return await this.connectWith(await httpTransport(this.config, 'http'));
    } catch (error) {
      // Older servers speak only the HTTP+SSE transport of 2024-11-05: try it before giving up.
      try {
        const client = await this.connectWith(await httpTransport(this.config, 'sse'));
        this.kind = 'sse';
        return client;
      } catch {
        throw error;
      }
    }
  }

  private async connectWith(transport: Transport): Promise<Client> {
    // The SDK loads with the first server, not at start (cold start).
    const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
    const client = new Client({ name: 'parley', version: '0.1.0' }, { capabilities: {} });
    try {
      await client.connect(transport, { timeout: CONNECT_TIMEOUT_MS });
    } catch (error) {
      await client.close().catch(() => {});
      throw error;
    }
    return client;
  }

  private async refreshTools(client: Client): Promise<void> {
    const listed: Tool[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.listTools(cursor ? { cursor } : {});
      listed.push(...page.tools);
      cursor = page.nextCursor;
    } while (cursor && listed.length < 1000);
    this.unregister();
    const store = new DisposableStore();
    const names: string[] = [];
    for (const tool of listed) {
      const name = toolNameFor(this.name, tool.name);
      if (this.deps.tools.isTaken(name)) {
        this.deps.logger.warn({ server: this.name, tool: name }, 'MCP tool name already taken; skipped');
        continue;
      }
      store.add(
        this.deps.tools.add({
          name,
          kind: 'mcp',
          source: this.name,
          description: (tool.description ?? tool.title ?? tool.name).slice(0, 1000),
          parameters: { ...(tool.inputSchema as JsonSchemaObject), type: 'object', properties: tool.inputSchema.properties ?? {} },
          readOnly: tool.annotations?.readOnlyHint === true,
          timeoutMs: CALL_TIMEOUT_MS,
          knownSecrets: () => this.deps.secrets,
          invoke: async (args, signal) => {
            const current = this.client;
            if (!current || this.state !== 'ready') throw new ActionCallError(`The MCP server "${this.name}" is ${this.state}; try again shortly`);
            const result = await current.callTool({ name: tool.name, arguments: args }, undefined, { signal, timeout: CALL_TIMEOUT_MS });
            const data = result.structuredContent ?? contentText(result.content);
            if (result.isError) throw new ActionCallError(`${tool.name} failed: ${typeof data === 'string' ? data.slice(0, 500) : JSON.stringify(data).slice(0, 500)}`);
            return { data };
          },
        }),
      );
      names.push(name);
    }
    this.registered = store;
    this.toolNames = names;
    this.deps.onChange();
  }

  private lost(reason: string): void {
    this.unregister();
    this.client = undefined;
    if (this.stopped) return;
    this.error = reason;
    // A server that stayed up a while is healthy again: the backoff starts over.
    if (this.readyAt && Date.now() - this.readyAt > this.deps.restart.stableMs) this.failuresInARow = 0;
    this.readyAt = 0;
    const delay = Math.min(this.deps.restart.maxMs, this.deps.restart.baseMs * 2 ** this.failuresInARow);
    this.failuresInARow++;
    this.nextRestartAt = Date.now() + delay;
    this.deps.logger.warn({ server: this.name, reason, retryInMs: delay }, 'MCP server down; restarting later');
    this.setState('failed');
    const generation = this.generation;
    this.restartTimer = setTimeout(() => {
      if (generation !== this.generation || this.stopped) return;
      this.restarts++;
      void this.start();
    }, delay);
    this.restartTimer.unref();
  }

  private unregister(): void {
    this.registered.dispose();
    this.registered = new DisposableStore();
    if (this.toolNames.length) {
      this.toolNames = [];
      this.deps.onChange();
    }
  }

  private noteStderr(line: string): void {
    this.stderr.push(line);
    if (this.stderr.length > STDERR_LINES) this.stderr.shift();
  }

  private setState(state: McpServerSummary['state']): void {
    this.state = state;
    this.deps.onChange();
  }
}

/** `<server>__<tool>`, sanitised to the registry's alphabet and length. */
export function toolNameFor(server: string, tool: string): string {
  return `${server}__${tool}`.replace(/[^a-zA-Z0-9_-]+/g, '_').slice(0, 64);
}

function contentText(content: unknown): unknown {
  if (!Array.isArray(content)) return content;
  const texts = content.filter((part: { type?: string }) => part?.type === 'text').map((part: { text?: string }) => part.text ?? '');
  if (texts.length === content.length) return texts.join('\n');
  return content.map((part: { type?: string; text?: string; mimeType?: string }) => (part?.type === 'text' ? part.text : { type: part?.type, mimeType: part?.mimeType }));
}
