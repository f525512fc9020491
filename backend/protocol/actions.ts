import { z } from 'zod';
import { channelSchema } from './agent';
import { eventSpec, type MethodSpec } from './define';
import { topics } from './topics';

/** How an HTTP action authenticates; the secret parts (token, value, password) are sealed in the vault, never returned. */
export const httpAuthSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({ kind: z.literal('bearer'), token: z.string().min(1).max(4096) }),
  z.object({ kind: z.literal('apiKey'), in: z.enum(['header', 'query']), name: z.string().min(1).max(200), value: z.string().min(1).max(4096) }),
  z.object({ kind: z.literal('basic'), username: z.string().max(500), password: z.string().max(4096) }),
]);
export type HttpAuth = z.infer<typeof httpAuthSchema>;

/** The auth of a stored source as the console sees it: its kind and where it goes, no secret. */
export const httpAuthSummarySchema = z.object({
  kind: z.enum(['none', 'bearer', 'apiKey', 'basic']),
  in: z.enum(['header', 'query']).optional(),
  name: z.string().optional(),
  username: z.string().optional(),
});

/**
 * One server of an `mcpServers` JSON (Claude Desktop, Cursor, VS Code): a command to run over
 * stdio, or the URL of a Streamable HTTP server (`type: 'sse'` for older servers that only speak SSE).
 */
export const mcpServerConfigSchema = z.union([
  z.object({
    command: z.string().min(1).max(1000),
    args: z.array(z.string().max(4000)).max(200).default([]),
    env: z.record(z.string(), z.string().max(8000)).default({}),
    cwd: z.string().max(1000).optional(),
  }),
  z.object({
    url: z.url().max(2000),
    type: z.enum(['http', 'streamable-http', 'sse']).optional(),
    headers: z.record(z.string(), z.string().max(8000)).default({}),
  }),
]);
export type McpServerConfig = z.infer<typeof mcpServerConfigSchema>;
export const MCP_SERVER_NAME = /^[a-zA-Z0-9_-]{1,32}$/;
export const mcpServerNameSchema = z.string().regex(MCP_SERVER_NAME, 'letters, digits, _ and - only, at most 32');
/** The file those apps keep: `{ "mcpServers": { "<name>": { ... } } }`. */
export const mcpServersFileSchema = z.object({ mcpServers: z.record(mcpServerNameSchema, mcpServerConfigSchema) });

export const mcpServerStateSchema = z.enum(['starting', 'ready', 'failed', 'stopped']);
export const mcpServerSummarySchema = z.object({
  name: z.string(),
  transport: z.enum(['stdio', 'http', 'sse']),
  /** 'config' servers come from PARLEY_MCP_CONFIG and are managed in that file. */
  origin: z.enum(['user', 'config']),
  /** The command line or URL, without env values or headers. */
  target: z.string(),
  state: mcpServerStateSchema,
  tools: z.array(z.string()),
  error: z.string().optional(),
  /** The last lines the server wrote to stderr (stdio servers). */
  stderrTail: z.array(z.string()),
  restarts: z.number(),
  nextRestartAt: z.number().optional(),
});
export type McpServerSummary = z.infer<typeof mcpServerSummarySchema>;

export const actionToolSchema = z.object({
  name: z.string(),
  kind: z.enum(['http', 'mcp']),
  /** The HTTP source id or the MCP server name. */
  source: z.string(),
  description: z.string(),
  method: z.string().optional(),
  path: z.string().optional(),
  channels: z.array(channelSchema),
  confirm: z.boolean(),
  /** Whether the call only reads (GET, or an MCP tool with readOnlyHint). */
  readOnly: z.boolean(),
  parameters: z.record(z.string(), z.unknown()),
});
export type ActionTool = z.infer<typeof actionToolSchema>;

export const httpSourceSchema = z.object({
  id: z.string(),
  title: z.string(),
  baseUrl: z.string(),
  auth: httpAuthSummarySchema,
  timeoutMs: z.number(),
  maxResponseBytes: z.number(),
  createdAt: z.number(),
});
export type HttpSource = z.infer<typeof httpSourceSchema>;

export const openApiOperationSchema = z.object({
  tool: z.string(),
  operationId: z.string().optional(),
  method: z.string(),
  path: z.string(),
  summary: z.string(),
  readOnly: z.boolean(),
});
export type OpenApiOperation = z.infer<typeof openApiOperationSchema>;

export const auditEntrySchema = z.object({
  id: z.number(),
  at: z.number(),
  channel: channelSchema,
  /** The conversation the call came from (console, API) or the contact (WhatsApp). */
  actor: z.string().nullable(),
  tool: z.string(),
  /** Arguments with secret-looking fields and known secret values masked. */
  arguments: z.unknown(),
  status: z.enum(['ok', 'failed', 'refused', 'rejected']),
  httpStatus: z.number().nullable(),
  error: z.string().nullable(),
  durationMs: z.number(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

const documentSource = {
  url: z.url().max(2000).optional(),
  /** The document itself: JSON or YAML text, or the parsed object. */
  document: z.union([z.string().max(20_000_000), z.record(z.string(), z.unknown())]).optional(),
};

export const actionsMethods = {
  /** Every action tool with its policy, the imported HTTP sources and the MCP servers with their state. */
  'actions.list': {
    params: z.object({}),
    result: z.object({ tools: z.array(actionToolSchema), sources: z.array(httpSourceSchema), mcpServers: z.array(mcpServerSummarySchema) }),
  },
  /** Reads an OpenAPI 3.x / Swagger 2.0 document and lists its operations, to pick from before importing. */
  'actions.inspectOpenApi': {
    params: z.object(documentSource),
    result: z.object({ title: z.string(), version: z.string(), baseUrl: z.string().optional(), operations: z.array(openApiOperationSchema) }),
  },
  /** Imports operations of a document as tools (all of them when `operations` is absent; tool names or operationIds). */
  'actions.importOpenApi': {
    params: z.object({
      ...documentSource,
      baseUrl: z.url().max(2000).optional(),
      operations: z.array(z.string().max(200)).max(500).optional(),
      title: z.string().max(200).optional(),
      auth: httpAuthSchema.default({ kind: 'none' }),
      timeoutMs: z.number().int().min(100).max(300_000).default(15_000),
      maxResponseBytes: z.number().int().min(1024).max(50 * 1024 * 1024).default(1024 * 1024),
    }),
    result: z.object({ source: httpSourceSchema, tools: z.array(actionToolSchema) }),
  },
  /** Removes an imported source and its tools (and its sealed secret). */
  'actions.removeSource': {
    params: z.object({ id: z.string().min(1).max(100) }),
    result: z.object({ removed: z.boolean() }),
  },
  'actions.mcp.add': {
    params: z.object({ name: mcpServerNameSchema, config: mcpServerConfigSchema }),
    result: z.object({ server: mcpServerSummarySchema }),
  },
  'actions.mcp.remove': {
    params: z.object({ name: mcpServerNameSchema }),
    result: z.object({ removed: z.boolean() }),
  },
  'actions.mcp.restart': {
    params: z.object({ name: mcpServerNameSchema }),
    result: z.object({ server: mcpServerSummarySchema }),
  },
  /** Which channels may use a tool, and whether each call waits for a person's approval. */
  'actions.setPolicy': {
    params: z.object({ tool: z.string().min(1).max(64), channels: z.array(channelSchema).max(channelSchema.options.length), confirm: z.boolean() }),
    result: z.object({ tool: actionToolSchema }),
  },
  /** The audit of action calls, newest first. */
  'actions.audit': {
    params: z.object({ limit: z.number().int().min(1).max(5000).default(200), tool: z.string().max(64).optional() }),
    result: z.object({ entries: z.array(auditEntrySchema) }),
  },
} as const satisfies Record<string, MethodSpec>;

const onActions = () => topics.actions;

export const actionsEvents = {
  /** Tools, sources, servers or policies changed: the panel reloads `actions.list`. */
  'actions.changed': eventSpec(z.object({ reason: z.string() }), onActions),
  'actions.audit.recorded': eventSpec(auditEntrySchema, onActions),
};
