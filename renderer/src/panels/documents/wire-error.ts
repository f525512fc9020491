import { ParleyError } from '#protocol';

/** Any failure as the panel shows it: a message and, when there is one, what to do. */
export function toWireError(error: unknown): { message: string; hint?: string } {
  if (error instanceof ParleyError) return { message: error.message, ...(error.hint ? { hint: error.hint } : {}) };
  return { message: error instanceof Error ? error.message : String(error) };
}
