import { SendFailure } from '../adapter/messaging-adapter';

/** Codes worth trying again later (the doc's list): throttling, temporary and per-recipient pacing. */
const RETRYABLE_CODES = new Set([1, 2, 4, 80007, 130429, 131000, 131016, 131056]);

/** What the operator should do about a final error, by code. */
const FINAL_HINTS: Record<number, string> = {
  100: 'a parameter was refused; check the phone number id and the message',
  131026: 'the message could not be delivered to this number (not on WhatsApp, or an old app version)',
  131047: 'more than 24 hours passed since the contact last wrote: only a template may be sent',
  131051: 'the message type is not supported',
  131053: 'the media was refused (voice notes must be OGG/Opus)',
  190: 'the access token expired or was revoked: set a system-user token (temporary tokens expire daily)',
  368: 'the business account is temporarily blocked for policy violations',
  131031: 'the business account is locked',
};

interface GraphErrorBody {
  error?: { code?: number; message?: string; error_data?: { details?: string }; error_user_msg?: string };
}

/** Classifies a failed Graph call (HTTP status and `{error:{code,...}}` body) as retryable or final. */
export function graphFailure(status: number, body: unknown): SendFailure {
  const error = (body as GraphErrorBody | undefined)?.error;
  const code = typeof error?.code === 'number' ? error.code : undefined;
  const detail = error?.error_data?.details ?? error?.error_user_msg ?? error?.message ?? `HTTP ${status}`;
  const retryable = (code !== undefined && RETRYABLE_CODES.has(code)) || status >= 500 || (code === undefined && status === 429);
  const hint = code !== undefined ? FINAL_HINTS[code] : undefined;
  const label = code !== undefined ? `Graph error ${code}` : `Graph HTTP ${status}`;
  return new SendFailure(`${label}: ${detail}${hint && !retryable ? ` (${hint})` : ''}`, retryable, code, code === 131047);
}

/** A network failure (refused, reset, timeout) is worth retrying. */
export function networkFailure(error: unknown): SendFailure {
  return new SendFailure(`Could not reach the WhatsApp API: ${error instanceof Error ? error.message : String(error)}`, true, undefined);
}
