import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';
import { ParleyError } from '#protocol';
import { readBodyWithin } from '../../base';

/** Reads the raw body (webhook signatures are computed over these exact bytes), refusing more than `limit`. */
export async function readRawBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const body = await readBodyWithin(request, limit);
  if (!body) throw tooLarge(limit);
  return body;
}

export async function readJsonBody(request: IncomingMessage, limit: number): Promise<unknown> {
  const raw = await readRawBody(request, limit);
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw new ParleyError('bad_request', `Body is not valid JSON: ${(error as Error).message}`);
  }
}

function tooLarge(limit: number): ParleyError {
  return new ParleyError('payload_too_large', `Body larger than ${limit} bytes`, {
    hint: 'Raise PARLEY_MAX_JSON_BYTES if such payloads are expected.',
  });
}

/** A route's JSON body checked against its schema: the first problem, named by its path, is the error. */
export function parseRequestBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ParleyError('invalid_params', `Invalid request: ${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'wrong shape'}`);
}
