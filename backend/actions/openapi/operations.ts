import type { OpenAPI, OpenAPIV2, OpenAPIV3 } from 'openapi-types';
import type { JsonSchemaObject } from '../../platform/tools';
import { toJsonSchema } from './json-schema';
import { toolNameFor, uniqueName } from './tool-name';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;
const READ_ONLY_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const MAX_DESCRIPTION = 1000;

export type ParameterLocation = 'path' | 'query' | 'header' | 'cookie';

/** One operation of the document as an HTTP action needs it, stored with the tool. */
export interface HttpOperation {
  tool: string;
  operationId?: string;
  method: string;
  path: string;
  summary: string;
  description: string;
  /** Each parameter and the argument name the model fills it with. */
  parameters: Array<{ name: string; argument: string; in: ParameterLocation; required: boolean }>;
  /** The JSON (or form) body, filled from the `body` argument. */
  body?: { argument: string; contentType: 'application/json' | 'application/x-www-form-urlencoded'; required: boolean };
  inputSchema: JsonSchemaObject;
  readOnly: boolean;
}

interface RawParameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: unknown;
  type?: string;
  items?: unknown;
  enum?: unknown[];
  format?: string;
  default?: unknown;
}

/** Every operation of a dereferenced document, named uniquely, in document order. */
export function listOperations(document: OpenAPI.Document): HttpOperation[] {
  const taken = new Set<string>();
  const operations: HttpOperation[] = [];
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    if (!item || typeof item !== 'object') continue;
    const shared = ((item as { parameters?: unknown[] }).parameters ?? []) as RawParameter[];
    for (const method of METHODS) {
      const operation = (item as Record<string, unknown>)[method] as (OpenAPIV3.OperationObject & OpenAPIV2.OperationObject) | undefined;
      if (!operation) continue;
      const tool = uniqueName(toolNameFor(operation.operationId, method, path), taken);
      taken.add(tool);
      operations.push(describeOperation(document, tool, method.toUpperCase(), path, operation, shared));
    }
  }
  return operations;
}

function describeOperation(
  document: OpenAPI.Document,
  tool: string,
  method: string,
  path: string,
  operation: OpenAPIV3.OperationObject & OpenAPIV2.OperationObject,
  shared: RawParameter[],
): HttpOperation {
  // Operation parameters override path-level ones with the same name and location.
  const byKey = new Map<string, RawParameter>();
  for (const parameter of [...shared, ...((operation.parameters ?? []) as RawParameter[])]) {
    if (parameter && typeof parameter === 'object' && typeof parameter.name === 'string') byKey.set(`${parameter.in}:${parameter.name}`, parameter);
  }
  const raw = [...byKey.values()];
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  const parameters: HttpOperation['parameters'] = [];
  const names = raw.filter((parameter) => ['path', 'query', 'header', 'cookie'].includes(parameter.in)).map((parameter) => parameter.name);
  for (const parameter of raw) {
    if (!['path', 'query', 'header', 'cookie'].includes(parameter.in)) continue;
    // The same name in two places (an `id` in the path and in the query) gets its location as a prefix.
    const argument = names.filter((name) => name === parameter.name).length > 1 ? `${parameter.in}_${parameter.name}` : parameter.name;
    const isRequired = parameter.in === 'path' || parameter.required === true;
    const schema = toJsonSchema(parameter.schema ?? swagger2ParameterSchema(parameter), document);
    if (parameter.description && schema.description === undefined) schema.description = parameter.description;
    properties[argument] = schema;
    if (isRequired) required.push(argument);
    parameters.push({ name: parameter.name, argument, in: parameter.in as ParameterLocation, required: isRequired });
  }

  const bodyArgument = properties.body === undefined ? 'body' : 'requestBody';
  const body = requestBody(document, operation, raw);
  let bodyInfo: HttpOperation['body'];
  if (body) {
    properties[bodyArgument] = { ...toJsonSchema(body.schema, document), ...(body.description ? { description: body.description } : {}) };
    if (body.required) required.push(bodyArgument);
    bodyInfo = { argument: bodyArgument, contentType: body.contentType, required: body.required };
  }

  const summary = (operation.summary ?? '').trim();
  const text = [summary, (operation.description ?? '').trim()].filter(Boolean).join('. ');
  const description = `${text || `${method} ${path}`}`.slice(0, MAX_DESCRIPTION);
  return {
    tool,
    ...(operation.operationId ? { operationId: operation.operationId } : {}),
    method,
    path,
    summary: summary || text.slice(0, 200),
    description,
    parameters,
    ...(bodyInfo ? { body: bodyInfo } : {}),
    inputSchema: { type: 'object', properties, ...(required.length ? { required } : {}), additionalProperties: false },
    readOnly: READ_ONLY_METHODS.has(method),
  };
}

function swagger2ParameterSchema(parameter: RawParameter): Record<string, unknown> {
  const { type, items, format, default: fallback } = parameter;
  return Object.fromEntries(
    Object.entries({ type, items, format, enum: parameter.enum, default: fallback }).filter(([, value]) => value !== undefined),
  );
}

function requestBody(
  document: OpenAPI.Document,
  operation: OpenAPIV3.OperationObject & OpenAPIV2.OperationObject,
  raw: RawParameter[],
): { schema: unknown; contentType: 'application/json' | 'application/x-www-form-urlencoded'; required: boolean; description?: string } | undefined {
  if ('swagger' in document) {
    const bodyParameter = raw.find((parameter) => parameter.in === 'body');
    if (bodyParameter) return { schema: bodyParameter.schema, contentType: 'application/json', required: bodyParameter.required === true, description: bodyParameter.description };
    const form = raw.filter((parameter) => parameter.in === 'formData' && parameter.type !== 'file');
    if (!form.length) return undefined;
    return {
      schema: {
        type: 'object',
        properties: Object.fromEntries(form.map((parameter) => [parameter.name, swagger2ParameterSchema(parameter)])),
        required: form.filter((parameter) => parameter.required).map((parameter) => parameter.name),
      },
      contentType: 'application/x-www-form-urlencoded',
      required: form.some((parameter) => parameter.required),
    };
  }
  const body = operation.requestBody as OpenAPIV3.RequestBodyObject | undefined;
  if (!body?.content) return undefined;
  const jsonType = Object.keys(body.content).find((type) => /^application\/([\w.-]+\+)?json\b/i.test(type));
  if (jsonType) return { schema: body.content[jsonType]?.schema, contentType: 'application/json', required: body.required === true, description: body.description };
  const form = body.content['application/x-www-form-urlencoded'];
  if (form) return { schema: form.schema, contentType: 'application/x-www-form-urlencoded', required: body.required === true, description: body.description };
  return undefined;
}

/** The base URL the document declares (first server, variables at their defaults), resolved against where it came from. */
export function documentBaseUrl(document: OpenAPI.Document, documentUrl: string | undefined): string | undefined {
  let declared: string | undefined;
  if ('swagger' in document) {
    const swagger = document as OpenAPIV2.Document;
    const scheme = swagger.schemes?.[0] ?? (documentUrl ? new URL(documentUrl).protocol.replace(':', '') : 'https');
    if (swagger.host) declared = `${scheme}://${swagger.host}${swagger.basePath ?? ''}`;
    else if (documentUrl) declared = `${new URL(documentUrl).origin}${swagger.basePath ?? ''}`;
  } else {
    const server = (document as OpenAPIV3.Document).servers?.[0];
    if (server?.url) {
      declared = server.url.replace(/\{([^}]+)\}/g, (_match, name: string) => String(server.variables?.[name]?.default ?? ''));
    }
  }
  if (!declared) return documentUrl ? new URL(documentUrl).origin : undefined;
  try {
    return new URL(declared, documentUrl).toString().replace(/\/$/, '');
  } catch {
    return undefined;
  }
}
