import { ParleyError, type ConnectionSettings, type DatabaseDialect } from '#protocol';

const DIALECT_BY_SCHEME: Record<string, DatabaseDialect> = {
  postgres: 'postgres',
  postgresql: 'postgres',
  mysql: 'mysql',
  mariadb: 'mysql',
  sqlite: 'sqlite',
  mssql: 'mssql',
  sqlserver: 'mssql',
  oracle: 'oracle',
};

export interface ParsedConnectionUrl {
  settings: ConnectionSettings;
  password: string | undefined;
}

/**
 * `postgres://user:pass@host:5432/shop?sslmode=require`, `mysql://`, `mssql://`, `oracle://host/service`,
 * `sqlite:///absolute/path.db` (three slashes: an absolute path) or `sqlite://relative.db`.
 */
export function parseConnectionUrl(text: string): ParsedConnectionUrl {
  const scheme = /^([a-z0-9]+):/i.exec(text)?.[1]?.toLowerCase();
  const dialect = scheme ? DIALECT_BY_SCHEME[scheme] : undefined;
  if (!dialect) {
    throw new ParleyError('invalid_params', `Unknown database URL scheme "${scheme ?? text.slice(0, 20)}"`, {
      hint: 'Use postgres://, mysql://, mariadb://, sqlite:///path, mssql:// or oracle://',
    });
  }
  if (dialect === 'sqlite') {
    const filename = decodeURIComponent(text.replace(/^sqlite:\/\//i, '').replace(/\?.*$/, ''));
    if (!filename) throw new ParleyError('invalid_params', 'The sqlite URL names no file', { hint: 'e.g. sqlite:///var/data/shop.db' });
    return { settings: { dialect, filename }, password: undefined };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ParleyError('invalid_params', `"${text.replace(/:[^:@/]*@/, ':***@')}" is not a valid URL`);
  }
  const sslMode = url.searchParams.get('sslmode') ?? url.searchParams.get('ssl');
  const settings: ConnectionSettings = {
    dialect,
    host: url.hostname || undefined,
    port: url.port ? Number(url.port) : undefined,
    database: decodeURIComponent(url.pathname.replace(/^\//, '')) || undefined,
    user: url.username ? decodeURIComponent(url.username) : undefined,
  };
  if (sslMode && !['disable', 'false', '0'].includes(sslMode)) {
    settings.ssl = { enabled: true, rejectUnauthorized: !['require', 'no-verify', 'allow', 'prefer'].includes(sslMode) };
  }
  return { settings, password: url.password ? decodeURIComponent(url.password) : undefined };
}

/** `PARLEY_DB_<NAME>_URL` → a connection named `<name>` in lower case. */
export function connectionUrlsFromEnvironment(environment: NodeJS.ProcessEnv): Array<{ name: string; url: string }> {
  return Object.entries(environment)
    .map(([key, value]) => ({ match: /^PARLEY_DB_([A-Z][A-Z0-9_]*)_URL$/.exec(key), value }))
    .filter((entry): entry is { match: RegExpExecArray; value: string } => entry.match !== null && Boolean(entry.value))
    .map((entry) => ({ name: entry.match[1]!.toLowerCase(), url: entry.value }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Where a connection points, for messages and the panel: never the password. */
export function describeTarget(settings: ConnectionSettings): string {
  if (settings.dialect === 'sqlite') return settings.filename ?? '(no file)';
  return `${settings.user ? `${settings.user}@` : ''}${settings.host ?? 'localhost'}${settings.port ? `:${settings.port}` : ''}/${settings.database ?? ''}`;
}
