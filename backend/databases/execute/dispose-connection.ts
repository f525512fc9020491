/**
 * Marks a driver connection so knex's pool drops it instead of handing it out again (knex checks
 * this flag before validating), then closes it. For a connection stuck in a query or cut mid-stream.
 */
export function disposeRawConnection(connection: { end?: () => unknown; destroy?: () => unknown }): void {
  (connection as { __knex__disposed?: unknown }).__knex__disposed = new Error('closed by the read-only runner');
  try {
    if (typeof connection.destroy === 'function') connection.destroy();
    else void Promise.resolve(connection.end?.()).catch(() => undefined);
  } catch {
    // Already closed.
  }
}
