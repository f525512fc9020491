/** Field names whose values are secrets whatever the tool: they never reach the audit or a log. */
const SECRET_FIELD = /pass(word)?|secret|token|api[-_]?key|authorization|cookie|credential/i;
export const MASK = '***';

/**
 * A copy of `value` with secret-looking fields and every known secret value masked. Known values
 * are the source's own credentials: a model could echo one back in an argument or an error.
 */
export function maskSecrets(value: unknown, knownSecrets: readonly string[] = [], depth = 0): unknown {
  if (depth > 20) return MASK;
  if (typeof value === 'string') return maskKnownValues(value, knownSecrets);
  if (Array.isArray(value)) return value.map((item) => maskSecrets(item, knownSecrets, depth + 1));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, SECRET_FIELD.test(key) ? MASK : maskSecrets(item, knownSecrets, depth + 1)]),
    );
  }
  return value;
}

export function maskKnownValues(text: string, knownSecrets: readonly string[]): string {
  let masked = text;
  // Very short values would mask ordinary words; credentials are longer than this.
  for (const secret of knownSecrets) if (secret.length >= 4) masked = masked.split(secret).join(MASK);
  return masked;
}
