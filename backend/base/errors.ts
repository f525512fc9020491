import { ParleyError } from '#protocol';

/**
 * Any thrown value as a ParleyError: a ParleyError passes unchanged; anything else becomes
 * 'internal' with `what` ("The turn failed") and the original message, pointing to the log.
 */
export function toParleyError(error: unknown, what = 'It failed'): ParleyError {
  if (error instanceof ParleyError) return error;
  return new ParleyError('internal', `${what}: ${error instanceof Error ? error.message : String(error)}`, {
    hint: 'See the Diagnostics panel log.',
    cause: error,
  });
}
