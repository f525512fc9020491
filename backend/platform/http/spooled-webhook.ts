/**
 * A webhook the public listener takes in on a thread of its own: the provider's signature is
 * checked over the raw bytes, the delivery is written to the store's spool (synced to disk), and
 * only then is it answered 200. The backend's main thread, however busy with turns, never delays
 * that answer; it consumes the spool afterwards, in arrival order. Providers retry what is not
 * answered fast (Meta re-delivers after about 20 s and grows wary of slow endpoints).
 */
export interface SpooledWebhook {
  /** The POST path on the public listener, e.g. /webhooks/whatsapp. */
  path: string;
  /** Larger bodies are refused with 413 before they are read whole. */
  maxBodyBytes: number;
  /** The provider's proof: a hex HMAC of the raw body in `header`, after `prefix` ("sha256="). */
  signature: { header: string; algorithm: 'sha256' | 'sha512'; prefix: string };
  /** The 503 answer while no signing key is set: what to configure. */
  unconfigured: string;
  /** The 401 answer to a missing or wrong signature. */
  refused: string;
  /**
   * Takes one spooled delivery on the main thread, in arrival order, at least once (a crash before
   * it finished means again after the restart: it must be idempotent). Throwing a ParleyError
   * 'bad_request' drops the delivery as malformed; any other error keeps it for a later retry.
   */
  consume(delivery: SpooledDelivery): Promise<void>;
  /** How the thread answered a delivery, and how long that took (metrics, the refused-signature warning). */
  answered?(answer: WebhookAnswer, ms: number): void;
}

export interface SpooledDelivery {
  raw: Buffer;
  /** Epoch ms when the thread had read the body. */
  receivedAt: number;
}

/** `not_stored`: the spool could not be written; answered 503, so the provider delivers it again. */
export type WebhookAnswer = 'accepted' | 'rejected_signature' | 'malformed' | 'unconfigured' | 'too_large' | 'not_stored';

/** Where a capability gives the public listener the keys its webhooks are signed with (they change with its settings). */
export interface WebhookSigningKeys {
  /** `undefined`: not configured, deliveries are answered 503. */
  set(path: string, key: string | undefined): void;
}
