/** Field names whose string values are credentials, wherever they appear (JSON logs, records, settings). */
export const SECRET_FIELD = /api[-_]?key|token|secret|password|passwd|authorization|cookie|credential|private[-_]?key|hmac|signature/i;
export const REMOVED = '[removed]';

/** Request headers that never carry a credential; every other header value of a provider record is removed. */
const HARMLESS_HEADERS = new Set(['http-referer', 'referer', 'x-title', 'user-agent', 'accept', 'content-type', 'openai-organization', 'openai-project']);

const TEXT_PATTERNS: Array<[RegExp, string]> = [
  // "Authorization: Bearer …", "Basic …".
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{6,}/gi, `$1 ${REMOVED}`],
  // Credentials in URLs: scheme://user:password@host.
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:@/"'<>]+):([^\s@/"'<>]+)@/gi, `$1:${REMOVED}@`],
  // "apiKey":"…", "password": "…" in any JSON text.
  [/"([^"\n]{0,60}?(?:api[-_]?key|token|secret|password|passwd|authorization|cookie|credential|private[-_]?key|hmac)[^"\n]{0,60}?)"(\s*):(\s*)"(?:[^"\\\n]|\\.)*"/gi, `"$1"$2:$3"${REMOVED}"`],
  // Key shapes of common providers (OpenAI, Anthropic, OpenRouter, Groq: sk-…, gsk_…).
  [/\b(?:sk|rk|pk)-[A-Za-z0-9_-]{16,}\b/g, REMOVED],
  [/\bgsk_[A-Za-z0-9]{16,}\b/g, REMOVED],
  [/\bAIza[0-9A-Za-z_-]{30,}\b/g, REMOVED],
];

/**
 * Removes secrets from text twice over: every known secret value (from the vault, the
 * environment, the request's own token) in its raw, JSON-escaped and URL-encoded forms, and
 * anything shaped like a credential (bearer headers, URL passwords, "password": fields, API key
 * formats), so a secret Parley never knew about is still caught by its shape.
 */
export class SecretScrubber {
  private readonly variants: string[];

  constructor(knownSecrets: Iterable<string>) {
    const variants = new Set<string>();
    for (const secret of knownSecrets) {
      if (secret.length < 3) continue;
      variants.add(secret);
      variants.add(JSON.stringify(secret).slice(1, -1));
      variants.add(encodeURIComponent(secret));
    }
    // Longest first: a secret that contains another is removed whole.
    this.variants = [...variants].sort((a, b) => b.length - a.length);
  }

  scrubText(text: string): string {
    let scrubbed = text;
    for (const variant of this.variants) if (scrubbed.includes(variant)) scrubbed = scrubbed.split(variant).join(REMOVED);
    for (const [pattern, replacement] of TEXT_PATTERNS) scrubbed = scrubbed.replace(pattern, replacement);
    return scrubbed;
  }

  /** A JSON document of `value` with secret-named fields and non-harmless header values removed, then scrubbed as text. */
  scrubJson(value: unknown): string {
    return this.scrubText(JSON.stringify(redactFields(value), null, 2));
  }
}

function redactFields(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((item) => redactFields(item));
  if (value && typeof value === 'object') {
    const headers = /headers$/i.test(key);
    return Object.fromEntries(
      Object.entries(value).map(([field, inner]) => {
        if (headers && typeof inner === 'string' && !HARMLESS_HEADERS.has(field.toLowerCase())) return [field, REMOVED];
        if (typeof inner === 'string' && SECRET_FIELD.test(field)) return [field, REMOVED];
        return [field, redactFields(inner, field)];
      }),
    );
  }
  return value;
}
