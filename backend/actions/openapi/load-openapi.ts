import type { OpenAPI } from 'openapi-types';
import { ParleyError } from '#protocol';

export interface LoadedDocument {
  document: OpenAPI.Document;
  /** Where it came from, to resolve a relative server URL against. */
  url: string | undefined;
}

/**
 * Validates and dereferences an OpenAPI 3.x or Swagger 2.0 document with swagger-parser. Circular
 * `$ref`s stay as `$ref` (a recursive schema cannot be inlined; the tool schema shows it as "any").
 * A pasted document may not point outside itself: no files, no fetches on its behalf.
 */
export async function loadOpenApi(source: { url?: string; document?: string | Record<string, unknown> }): Promise<LoadedDocument> {
  if ((source.url === undefined) === (source.document === undefined)) {
    throw new ParleyError('invalid_params', 'Give either the URL of an OpenAPI document or the document itself');
  }
  let input: OpenAPI.Document;
  if (source.url !== undefined) {
    input = await fetchDocument(source.url);
  } else if (typeof source.document === 'string') {
    input = await parseDocumentText(source.document, 'The pasted document is neither JSON nor YAML');
  } else {
    // swagger-parser dereferences in place; the caller's object stays as it was.
    input = structuredClone(source.document) as unknown as OpenAPI.Document;
  }
  try {
    // Loaded on first import, not at start: cold start stays small however many capabilities there are.
    const { default: SwaggerParser } = await import('@apidevtools/swagger-parser');
    const document = await SwaggerParser.validate(input, {
      dereference: { circular: 'ignore' },
      resolve: { external: false },
    });
    return { document, url: source.url };
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n').slice(0, 6).join('\n') : String(error);
    throw new ParleyError('invalid_params', `The OpenAPI document could not be read: ${message.slice(0, 1200)}`, {
      hint: 'Check that it is a valid OpenAPI 3.x or Swagger 2.0 document.',
    });
  }
}

const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;

/** The document at a URL with the real fetch, bounded in time and size. */
async function fetchDocument(url: string): Promise<OpenAPI.Document> {
  if (!/^https?:\/\//i.test(url)) throw new ParleyError('invalid_params', 'The document URL must be http or https');
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: 'application/json, application/yaml;q=0.9, */*;q=0.5' }, signal: AbortSignal.timeout(15_000) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    throw new ParleyError('unavailable', `The OpenAPI document could not be fetched from ${url} (${cause?.code ?? (error as Error).message})`, { hint: 'Check the URL and that the API is running.' });
  }
  const text = await response.text();
  if (!response.ok) throw new ParleyError('unavailable', `${url} answered HTTP ${response.status}`, { hint: 'Check the URL of the document.' });
  if (text.length > MAX_DOCUMENT_BYTES) throw new ParleyError('payload_too_large', 'The OpenAPI document is larger than 20 MB');
  return parseDocumentText(text, `${url} did not answer with an OpenAPI document in JSON or YAML`);
}

/** JSON first (the common case, and fast); otherwise YAML, the form most OpenAPI documents are written in. */
async function parseDocumentText(text: string, problem: string): Promise<OpenAPI.Document> {
  try {
    return JSON.parse(text) as OpenAPI.Document;
  } catch {
    // Not JSON: fall through to YAML.
  }
  let parsed: unknown;
  try {
    const yaml = await import('js-yaml');
    // YAML's JSON schema: plain data only, no custom tags.
    parsed = yaml.load(text, { schema: yaml.JSON_SCHEMA });
  } catch (error) {
    const where = (error as { mark?: { line?: number } }).mark?.line;
    throw new ParleyError('invalid_params', `${problem}${where === undefined ? '' : ` (YAML error at line ${where + 1})`}`, {
      hint: 'Check the document: it must be OpenAPI 3.x or Swagger 2.0, in JSON or YAML.',
    });
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ParleyError('invalid_params', problem, { hint: 'An OpenAPI document is an object with "openapi" (or "swagger"), "info" and "paths".' });
  }
  return parsed as OpenAPI.Document;
}
