import { z } from 'zod';
import { wireErrorSchema } from './errors';

export const PROTOCOL_VERSION = 1;
/** The socket subprotocol; the token travels as a second subprotocol because browsers cannot set headers on a WebSocket. */
export const SOCKET_SUBPROTOCOL = 'parley.v1';
export const TOKEN_SUBPROTOCOL_PREFIX = 'parley.token.';
/** Close codes in the private range (4000-4999), so the client can tell why it was dropped. */
export const SocketCloseCode = {
  unauthorized: 4401,
  protocolMismatch: 4400,
  shuttingDown: 4503,
} as const;

const requestIdSchema = z.string().min(1).max(64);

export const requestFrameSchema = z.object({
  kind: z.literal('request'),
  id: requestIdSchema,
  method: z.string().min(1).max(128),
  params: z.unknown().optional(),
});

export const cancelFrameSchema = z.object({
  kind: z.literal('cancel'),
  id: requestIdSchema,
});

/** Everything a client may send as a text frame. */
export const clientFrameSchema = z.discriminatedUnion('kind', [requestFrameSchema, cancelFrameSchema]);
export type ClientFrame = z.infer<typeof clientFrameSchema>;
export type RequestFrame = z.infer<typeof requestFrameSchema>;

export const responseFrameSchema = z.discriminatedUnion('ok', [
  z.object({ kind: z.literal('response'), id: z.string(), ok: z.literal(true), result: z.unknown() }),
  z.object({ kind: z.literal('response'), id: z.string(), ok: z.literal(false), error: wireErrorSchema }),
]);

export const eventFrameSchema = z.object({
  kind: z.literal('event'),
  event: z.string(),
  data: z.unknown(),
});

/**
 * Errors not tied to a request (a frame that could not be parsed has no id to answer to).
 */
export const noticeFrameSchema = z.object({ kind: z.literal('notice'), error: wireErrorSchema });

export const serverFrameSchema = z.union([responseFrameSchema, eventFrameSchema, noticeFrameSchema]);
export type ServerFrame = z.infer<typeof serverFrameSchema>;
export type ResponseFrame = z.infer<typeof responseFrameSchema>;
