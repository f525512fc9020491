import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Checks `X-Hub-Signature-256: sha256=<hex>` (Cloud API) or a bare hex HMAC (WAHA's
 * `X-Webhook-Hmac`, SHA-512) against the raw request bytes. Hashing re-serialised JSON breaks on
 * emoji and non-ASCII text, so only the bytes as received are hashed; the compare is constant-time.
 */
export function signatureMatches(raw: Buffer, header: string | undefined, secret: string, algorithm: 'sha256' | 'sha512', prefix: string): boolean {
  if (!header || !secret) return false;
  const value = header.trim();
  if (!value.toLowerCase().startsWith(prefix)) return false;
  const hex = value.slice(prefix.length);
  if (!/^[0-9a-fA-F]+$/.test(hex)) return false;
  const given = Buffer.from(hex, 'hex');
  const expected = createHmac(algorithm, secret).update(raw).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The header value Meta sends for these bytes (the simulator signs its messages with it). */
export function cloudSignature(raw: Buffer, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(raw).digest('hex')}`;
}
