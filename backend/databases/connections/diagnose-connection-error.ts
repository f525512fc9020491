import { ParleyError, type ConnectionSettings } from '#protocol';
import { describeTarget } from './connection-url';
import { DEFAULT_PORT } from './knex-config';

/**
 * Turns a driver's failure into what happened and what to do: the operator should not have to
 * know that ECONNREFUSED, 28P01 and ER_BAD_DB_ERROR are three different problems.
 */
export function diagnoseConnectionError(error: unknown, settings: ConnectionSettings): ParleyError {
  if (error instanceof ParleyError) return error;
  const failure = error as { code?: string; errno?: number; message?: string; name?: string };
  // tedious wraps the socket's failure (ESOCKET, "Could not connect (sequence)") around an AggregateError of the real ones.
  const code = [failure.code, ...nestedCodes(error)].find((candidate) => candidate && candidate !== 'ESOCKET') ?? failure.code ?? '';
  const message = failure.message ?? String(error);
  const where = `${settings.host ?? '127.0.0.1'}:${settings.port ?? DEFAULT_PORT[settings.dialect] ?? ''}`;
  const unavailable = (text: string, hint: string) => new ParleyError('unavailable', text, { hint, details: { driverCode: code || undefined, driverMessage: message } });

  if (code === 'ECONNREFUSED' || /ECONNREFUSED/.test(message)) return unavailable(`Nothing accepts connections on ${where}`, 'Check that the database server runs and listens on this host and port (and on TCP, not only a socket).');
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || /ENOTFOUND|getaddrinfo/.test(message)) return unavailable(`The host "${settings.host}" cannot be resolved`, 'Check the host name, or use an IP address.');
  if (code === 'ETIMEDOUT' || code === 'ETIMEOUT' || /timeout|timed out/i.test(message)) return unavailable(`No answer from ${where} in time`, 'A firewall may drop the connection, or the host is wrong.');
  if (code === '28P01' || code === '28000' || code === 'ER_ACCESS_DENIED_ERROR' || code === 'ELOGIN' || /password authentication failed|Access denied|Login failed|ORA-01017/i.test(message)) {
    return unavailable(`The server refused the user "${settings.user ?? ''}": ${message}`, 'Check the user name and password (and, for PostgreSQL, pg_hba.conf for this host).');
  }
  if (code === 'NJS-101' || /no credentials specified/.test(message)) {
    return unavailable(`Oracle needs a password for the user "${settings.user ?? ''}" at ${where}, and none was given`, 'Type the password in the connection settings (it is kept encrypted).');
  }
  if (code === '3D000' || code === 'ER_BAD_DB_ERROR' || /database .* does not exist|Unknown database|Cannot open database/i.test(message)) {
    return unavailable(`The database "${settings.database ?? ''}" does not exist on ${where}`, 'Check the database name (it is case-sensitive on PostgreSQL).');
  }
  if (/self[- ]signed|certificate|SSL|TLS/i.test(message)) {
    return unavailable(`TLS failed with ${where}: ${message}`, settings.ssl?.enabled ? 'If the server uses a self-signed certificate, turn off certificate verification for this connection; if it does not speak TLS, turn SSL off.' : 'The server requires TLS: turn SSL on for this connection.');
  }
  if (code === 'SQLITE_CANTOPEN' || /unable to open database|does not exist or cannot be opened/i.test(message)) return unavailable(`The SQLite file ${describeTarget(settings)} does not exist or cannot be read`, 'Check the path and the file permissions.');
  if (code === 'SQLITE_NOTADB' || /not a database/i.test(message)) return unavailable(`${describeTarget(settings)} is not a SQLite database`, 'Pick the database file itself, not a backup archive or a WAL file.');
  return unavailable(`Could not connect to ${describeTarget(settings)}: ${message}`, 'Check the connection settings.');
}

/** Whether a failure is about reaching or logging in to the server, rather than about a statement. */
export function isConnectionFailure(error: unknown): boolean {
  const failure = error as { code?: string; message?: string };
  const text = `${failure.code ?? ''} ${nestedCodes(error).join(' ')} ${failure.message ?? ''}`;
  if (/relation|column|table|syntax/i.test(failure.message ?? '')) return false;
  return /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ETIMEOUT|ELOGIN|ESOCKET|NJS-101|NJS-50\d|28P01|28000|3D000|ER_ACCESS_DENIED|ER_BAD_DB_ERROR|SQLITE_CANTOPEN|SQLITE_NOTADB|authentication|Access denied|Login failed|Unknown database|does not exist|unable to open|certificate|SSL|TLS|Timeout acquiring|Failed to connect/i.test(text);
}

/** The codes of the failures behind this one: `cause`, and an AggregateError's `errors` (every address tried). */
function nestedCodes(error: unknown): string[] {
  const cause = (error as { cause?: { code?: string; errors?: Array<{ code?: string }> } } | null)?.cause;
  if (!cause || typeof cause !== 'object') return [];
  return [cause.code, ...(Array.isArray(cause.errors) ? cause.errors.map((inner) => inner?.code) : [])].filter((code): code is string => typeof code === 'string');
}
