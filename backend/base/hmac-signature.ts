import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Checks a webhook's hex HMAC header (`sha256=<hex>` from Meta, a bare SHA-512 hex from WAHA)
 * against the raw request bytes. Hashing re-serialised JSON breaks on emoji and non-ASCII text, so
 * only the bytes as received are hashed; the compare is constant-time.
 */
export function hmacSignatureMatches(raw: Uint8Array, header: string | undefined, secret: string, algorithm: 'sha256' | 'sha512', prefix: string): boolean {
  if (!header || !secret) return false;
  const value = header.trim();
  if (!value.toLowerCase().startsWith(prefix)) return false;
  const hex = value.slice(prefix.length);
  if (!/^[0-9a-fA-F]+$/.test(hex)) return false;
  const given = Buffer.from(hex, 'hex');
  const expected = createHmac(algorithm, secret).update(raw).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}
