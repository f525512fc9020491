import { z } from 'zod';

/** Every failure that crosses the renderer/backend boundary carries one of these codes. */
export const errorCodeSchema = z.enum([
  'bad_request', // the frame or body is not valid JSON or not a known envelope
  'invalid_params', // the envelope is fine, the params do not match the method's schema
  'unknown_method',
  'unauthorized',
  'forbidden', // understood and authenticated, but refused by policy (a write on a read-only connection, a tool not allowed on this channel)
  'payload_too_large',
  'not_found',
  'conflict',
  'cancelled',
  'timeout',
  'unavailable', // a dependency (store, provider, model) cannot serve right now
  'internal',
]);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

export const wireErrorSchema = z.object({
  code: errorCodeSchema,
  message: z.string(),
  /** What the user can do about it, shown under the message. */
  hint: z.string().optional(),
  details: z.unknown().optional(),
});
export type WireError = z.infer<typeof wireErrorSchema>;

/** Thrown by handlers and by the client; serialises to a WireError and back without loss. */
export class ParleyError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, options: { hint?: string; details?: unknown; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'ParleyError';
    this.code = code;
    this.hint = options.hint;
    this.details = options.details;
  }

  toWire(): WireError {
    const wire: WireError = { code: this.code, message: this.message };
    if (this.hint !== undefined) wire.hint = this.hint;
    if (this.details !== undefined) wire.details = this.details;
    return wire;
  }

  static fromWire(wire: WireError): ParleyError {
    return new ParleyError(wire.code, wire.message, { hint: wire.hint, details: wire.details });
  }
}

/** HTTP status for each code, used by the control API and the OpenAI-compatible endpoints. */
export const httpStatusForErrorCode: Record<ErrorCode, number> = {
  bad_request: 400,
  invalid_params: 400,
  unknown_method: 404,
  unauthorized: 401,
  forbidden: 403,
  payload_too_large: 413,
  not_found: 404,
  conflict: 409,
  cancelled: 499,
  timeout: 504,
  unavailable: 503,
  internal: 500,
};
