import type { Logger } from '../../platform/observability';
import type { SecretVault } from '../../store';
import { SECRET_FIELD } from './secret-scrubber';

/** Environment variables whose names say they hold a credential (PARLEY_SECRET_KEY, WHATSAPP_ACCESS_TOKEN, WAHA_API_KEY...). */
const SECRET_VARIABLE = /key|token|secret|password|passwd|pass$|auth|credential|hmac/i;

/**
 * Every secret value the backend holds: the vault's (and, for a secret stored as JSON such as an
 * action's auth, its credential fields), the environment's credentials and the passwords in its
 * URLs (PARLEY_DB_<NAME>_URL), plus what the caller adds (the token of the request).
 */
export async function collectKnownSecrets(sources: { secrets: SecretVault; environment: NodeJS.ProcessEnv; logger: Logger }, extra: readonly string[] = []): Promise<string[]> {
  const found = new Set<string>(extra.filter(Boolean));
  for (const { name } of await sources.secrets.list()) {
    let value: string | undefined;
    try {
      value = await sources.secrets.get(name);
    } catch (error) {
      // Sealed with another key: it cannot leak what it cannot decrypt.
      sources.logger.debug({ err: error, secret: name }, 'secret not readable for the bundle scrub');
    }
    if (!value) continue;
    found.add(value);
    for (const leaf of jsonCredentials(value)) found.add(leaf);
  }
  for (const [name, value] of Object.entries(sources.environment)) {
    if (!value) continue;
    if (SECRET_VARIABLE.test(name) && value.length >= 6) found.add(value);
    const password = urlPassword(value);
    if (password) found.add(password);
  }
  return [...found];
}

/** The string fields of a JSON secret that are credentials: named like one, or long enough to be one. */
function jsonCredentials(value: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return [];
  }
  const leaves: string[] = [];
  const walk = (node: unknown, key: string) => {
    if (typeof node === 'string') {
      if (SECRET_FIELD.test(key) || node.length >= 8) leaves.push(node);
    } else if (Array.isArray(node)) node.forEach((item) => walk(item, key));
    else if (node && typeof node === 'object') for (const [field, inner] of Object.entries(node)) walk(inner, field);
  };
  walk(parsed, '');
  return leaves;
}

function urlPassword(value: string): string | undefined {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return undefined;
  try {
    const password = new URL(value).password;
    return password ? decodeURIComponent(password) : undefined;
  } catch {
    return undefined;
  }
}
