import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { httpAuthSchema, ParleyError, type ActionTool, type HttpAuth, type HttpSource, type OpenApiOperation } from '#protocol';
import { DisposableStore } from '../../base';
import type { SecretVault } from '../../store';
import { loadOpenApi } from '../openapi/load-openapi';
import { documentBaseUrl, listOperations, type HttpOperation } from '../openapi/operations';
import type { ActionTools } from '../tools/action-tools';
import { authSecrets, sendOperation, type HttpTarget } from './http-request';

/** Tools one import may create: past this a model chooses badly and every request carries the whole list. */
export const MAX_TOOLS_PER_IMPORT = 100;

export interface ImportRequest {
  url?: string;
  document?: string | Record<string, unknown>;
  baseUrl?: string;
  operations?: string[];
  title?: string;
  auth: HttpAuth;
  timeoutMs: number;
  maxResponseBytes: number;
}

interface SourceRow {
  id: string;
  title: string;
  base_url: string;
  auth_json: string;
  timeout_ms: number;
  max_response_bytes: number;
  created_at: number | string;
}

const secretName = (sourceId: string) => `actions.http.${sourceId}`;

/** Imported OpenAPI sources: their rows, their sealed credentials and their tools in the registry. */
export class HttpSources {
  private readonly live = new Map<string, DisposableStore>();

  constructor(
    private readonly knex: Knex,
    private readonly secrets: SecretVault,
    private readonly tools: ActionTools,
  ) {}

  async inspect(source: { url?: string; document?: string | Record<string, unknown> }) {
    const { document, url } = await loadOpenApi(source);
    return {
      title: document.info?.title ?? 'Untitled API',
      version: document.info?.version ?? '',
      baseUrl: documentBaseUrl(document, url),
      operations: listOperations(document).map(summarise),
    };
  }

  async import(request: ImportRequest): Promise<{ source: HttpSource; tools: ActionTool[] }> {
    const { document, url } = await loadOpenApi(request);
    const all = listOperations(document);
    const chosen = pickOperations(all, request.operations);
    const baseUrl = request.baseUrl ?? documentBaseUrl(document, url);
    if (!baseUrl) {
      throw new ParleyError('invalid_params', 'The document declares no server URL', { hint: 'Give the base URL of the API (baseUrl).' });
    }
    const taken = chosen.filter((operation) => this.tools.isTaken(operation.tool)).map((operation) => operation.tool);
    if (taken.length) {
      throw new ParleyError('conflict', `A tool with the name ${taken.slice(0, 5).join(', ')} already exists`, {
        hint: 'Remove the source that provides it first, or import without those operations.',
      });
    }
    const source: HttpSource = {
      id: randomUUID(),
      title: request.title ?? document.info?.title ?? 'Untitled API',
      baseUrl,
      auth: summariseAuth(request.auth),
      timeoutMs: request.timeoutMs,
      maxResponseBytes: request.maxResponseBytes,
      createdAt: Date.now(),
    };
    await this.knex.transaction(async (trx) => {
      await trx('actions_http_sources').insert({
        id: source.id,
        title: source.title,
        base_url: source.baseUrl,
        auth_json: JSON.stringify(source.auth),
        timeout_ms: source.timeoutMs,
        max_response_bytes: source.maxResponseBytes,
        created_at: source.createdAt,
      });
      for (const operation of chosen) {
        await trx('actions_http_tools').insert({ name: operation.tool, source_id: source.id, operation_json: JSON.stringify(operation) });
      }
    });
    if (request.auth.kind !== 'none') await this.secrets.set(secretName(source.id), JSON.stringify(request.auth));
    this.activate(source, request.auth, chosen);
    return { source, tools: chosen.map((operation) => this.tools.find(operation.tool)!).filter(Boolean) };
  }

  async list(): Promise<HttpSource[]> {
    const rows = (await this.knex('actions_http_sources').orderBy('created_at')) as SourceRow[];
    return rows.map(toSource);
  }

  /** Registers the tools of every stored source (at start). A source whose secret cannot be read stays out, logged. */
  async loadAll(onFailure: (source: HttpSource, error: unknown) => void): Promise<void> {
    for (const source of await this.list()) {
      try {
        const sealed = source.auth.kind === 'none' ? undefined : await this.secrets.get(secretName(source.id));
        const auth = sealed ? httpAuthSchema.parse(JSON.parse(sealed)) : ({ kind: 'none' } as const);
        const rows = (await this.knex('actions_http_tools').where({ source_id: source.id })) as Array<{ operation_json: string }>;
        this.activate(source, auth, rows.map((row) => JSON.parse(row.operation_json) as HttpOperation));
      } catch (error) {
        onFailure(source, error);
      }
    }
  }

  async remove(id: string): Promise<boolean> {
    this.live.get(id)?.dispose();
    this.live.delete(id);
    const removed = await this.knex.transaction(async (trx) => {
      await trx('actions_http_tools').where({ source_id: id }).delete();
      return (await trx('actions_http_sources').where({ id }).delete()) > 0;
    });
    await this.secrets.delete(secretName(id));
    return removed;
  }

  dispose(): void {
    for (const store of this.live.values()) store.dispose();
    this.live.clear();
  }

  private activate(source: HttpSource, auth: HttpAuth, operations: HttpOperation[]): void {
    const target: HttpTarget = { baseUrl: source.baseUrl, auth, timeoutMs: source.timeoutMs, maxResponseBytes: source.maxResponseBytes };
    const secrets = authSecrets(auth);
    const store = new DisposableStore();
    for (const operation of operations) {
      store.add(
        this.tools.add({
          name: operation.tool,
          kind: 'http',
          source: source.title,
          description: operation.description,
          parameters: operation.inputSchema,
          readOnly: operation.readOnly,
          method: operation.method,
          path: operation.path,
          timeoutMs: source.timeoutMs,
          knownSecrets: () => secrets,
          invoke: (args, signal) => sendOperation(target, operation, args, signal),
        }),
      );
    }
    this.live.set(source.id, store);
  }
}

function pickOperations(all: HttpOperation[], wanted: string[] | undefined): HttpOperation[] {
  if (!all.length) throw new ParleyError('invalid_params', 'The document has no operations to import');
  if (!wanted) {
    if (all.length > MAX_TOOLS_PER_IMPORT) {
      throw new ParleyError('invalid_params', `The document has ${all.length} operations; import at most ${MAX_TOOLS_PER_IMPORT} at once`, {
        hint: 'Pick the operations the agent needs (operations: tool names or operationIds, listed by actions.inspectOpenApi).',
      });
    }
    return all;
  }
  const chosen: HttpOperation[] = [];
  const missing: string[] = [];
  for (const name of new Set(wanted)) {
    const found = all.find((operation) => operation.tool === name || operation.operationId === name);
    if (found) chosen.push(found);
    else missing.push(name);
  }
  if (missing.length) throw new ParleyError('invalid_params', `The document has no operation ${missing.slice(0, 5).join(', ')}`);
  if (chosen.length > MAX_TOOLS_PER_IMPORT) throw new ParleyError('invalid_params', `Import at most ${MAX_TOOLS_PER_IMPORT} operations at once`);
  return chosen;
}

function summarise(operation: HttpOperation): OpenApiOperation {
  return {
    tool: operation.tool,
    ...(operation.operationId ? { operationId: operation.operationId } : {}),
    method: operation.method,
    path: operation.path,
    summary: operation.summary,
    readOnly: operation.readOnly,
  };
}

function summariseAuth(auth: HttpAuth): HttpSource['auth'] {
  if (auth.kind === 'apiKey') return { kind: 'apiKey', in: auth.in, name: auth.name };
  if (auth.kind === 'basic') return { kind: 'basic', username: auth.username };
  return { kind: auth.kind };
}

function toSource(row: SourceRow): HttpSource {
  return {
    id: row.id,
    title: row.title,
    baseUrl: row.base_url,
    auth: JSON.parse(row.auth_json) as HttpSource['auth'],
    timeoutMs: row.timeout_ms,
    maxResponseBytes: row.max_response_bytes,
    createdAt: Number(row.created_at),
  };
}
