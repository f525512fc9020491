import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParleyError } from '#protocol';
import { startTestBackend, type TestBackend } from '../../support/backend-harness';
import { createScratchDatabase, mariadbServer, postgresServer, shouldSkip, type ScratchDatabase, type TestServer } from './database-servers';
import { checksumShop, createShopFixture } from './shop-fixture';

/** Rejects with the ParleyError the backend answered. */
async function failureOf(promise: Promise<unknown>): Promise<ParleyError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ParleyError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

const SLOW_QUERY = {
  postgres: 'SELECT count(*) FROM generate_series(1, 1000000000) AS g',
  mysql: 'SELECT count(*) FROM numbers a CROSS JOIN numbers b CROSS JOIN numbers c',
};

describe.each([
  { server: postgresServer, kind: 'postgres' as const, name: 'pgshop' },
  { server: mariadbServer, kind: 'mysql' as const, name: 'mariashop' },
])('$kind: connect, introspect, query, cap, timeout (real server)', ({ server, kind, name }: { server: TestServer; kind: 'postgres' | 'mysql'; name: string }) => {
  const skip = shouldSkip(server);
  let scratch: ScratchDatabase;
  let backend: TestBackend;

  beforeAll(async () => {
    if (skip) return;
    scratch = await createScratchDatabase(kind);
    await createShopFixture(scratch.knex, kind);
    backend = await startTestBackend({ environment: { [`PARLEY_DB_${name.toUpperCase()}_URL`]: scratch.url } });
  }, 60_000);

  afterAll(async () => {
    await backend?.close();
    await scratch?.drop();
  }, 30_000);

  it.skipIf(skip)('lists the connection from PARLEY_DB_<NAME>_URL under its lower-case name, not yet open', async () => {
    const { connections } = await backend.call('databases.list', {});
    const connection = connections.find((candidate) => candidate.name === name);
    expect(connection).toMatchObject({ source: 'env', dialect: kind, host: '127.0.0.1', database: scratch.name, open: false });
  });

  it.skipIf(skip)('introspects tables, views, columns, primary and foreign keys, comments and estimates', async () => {
    const schema = await backend.call('databases.schema', { connection: name });
    const byName = new Map(schema.tables.map((table) => [table.name, table]));
    expect([...byName.keys()]).toEqual(expect.arrayContaining(['customers', 'orders', 'numbers', 'customer_totals']));
    const customers = byName.get('customers')!;
    expect(customers.kind).toBe('table');
    expect(customers.comment).toBe('People who bought something');
    expect(customers.columns.find((column) => column.name === 'id')).toMatchObject({ primaryKey: true, nullable: false });
    expect(customers.columns.find((column) => column.name === 'name')).toMatchObject({ comment: 'Full name as the customer typed it', nullable: false });
    expect(byName.get('orders')!.foreignKeys).toEqual([{ columns: ['customer_id'], referencedTable: expect.stringMatching(/\.customers$/), referencedColumns: ['id'] }]);
    expect(byName.get('customer_totals')!.kind).toBe('view');
    expect(byName.get('numbers')!.rowEstimate).toBeGreaterThan(50_000);
  });

  it.skipIf(skip)('answers a read with columns, rows and timing; string literals with keywords pass', async () => {
    const result = await backend.call('databases.query', {
      connection: name,
      sql: "SELECT c.name, SUM(o.total) AS spent, 'delete; drop' AS note FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.name ORDER BY c.name -- update me\n;",
    });
    expect(result.columns).toEqual(['name', 'spent', 'note']);
    expect(result.rows.map((row) => [row[0], Number(row[1])])).toEqual([
      ['Ada', 30.5],
      ['Ben', 7.25],
    ]);
    expect(result).toMatchObject({ rowCount: 2, truncated: false });
    expect(result.ms).toBeGreaterThanOrEqual(0);
  });

  it.skipIf(skip)('caps the rows and says the result was truncated', async () => {
    const result = await backend.call('databases.query', { connection: name, sql: 'SELECT n FROM numbers ORDER BY n', maxRows: 25 });
    expect(result.rowCount).toBe(25);
    expect(result.truncated).toBe(true);
    expect(result.rows.at(-1)).toEqual([25]);
    // The connection is still usable after a cut-off result.
    const next = await backend.call('databases.query', { connection: name, sql: 'SELECT count(*) AS n FROM numbers' });
    expect(Number(next.rows[0]![0])).toBe(100_000);
  });

  it.skipIf(skip)('returns 100k rows when asked for them', async () => {
    const result = await backend.call('databases.query', { connection: name, sql: 'SELECT n FROM numbers ORDER BY n', maxRows: 100_000 });
    expect(result.rowCount).toBe(100_000);
    expect(result.truncated).toBe(false);
  });

  it.skipIf(skip)('exports the whole result as CSV, streamed past the row cap, through the same guard', async () => {
    const exportCsv = (sql: string) =>
      backend.fetch('/api/databases/export', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ connection: name, sql }) });
    const response = await exportCsv('SELECT n, n * 2 AS twice FROM numbers ORDER BY n');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = (await response.text()).trimEnd().split('\r\n');
    expect(lines).toHaveLength(100_001);
    expect([lines[0], lines[1], lines.at(-1)]).toEqual(['n,twice', '1,2', '100000,200000']);
    const refused = await exportCsv('DELETE FROM numbers');
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('forbidden');
  }, 30_000);

  it.skipIf(skip)('refuses a write with `forbidden` and leaves the data unchanged', async () => {
    const before = await checksumShop(scratch.knex);
    const refusal = await failureOf(backend.call('databases.query', { connection: name, sql: "UPDATE customers SET name = 'x'" }));
    expect(refusal.code).toBe('forbidden');
    expect(refusal.message).toMatch(/UPDATE/);
    expect(await checksumShop(scratch.knex)).toBe(before);
  });

  it.skipIf(skip)('cancels a query that runs past the statement timeout with `timeout`', async () => {
    await backend.call('settings.set', { key: 'databases.statementTimeoutMs', value: 700 });
    try {
      const started = Date.now();
      const failure = await failureOf(backend.call('databases.query', { connection: name, sql: SLOW_QUERY[kind] }));
      expect(failure.code).toBe('timeout');
      expect(Date.now() - started).toBeLessThan(5_000);
      // The pool recovers: the next query answers.
      const next = await backend.call('databases.query', { connection: name, sql: 'SELECT 1 AS one' });
      expect(next.rows).toEqual([[1]]);
    } finally {
      await backend.call('settings.set', { key: 'databases.statementTimeoutMs', value: 15_000 });
    }
  }, 20_000);

  it.skipIf(skip)('records every query, refused ones with their reason, in a searchable history', async () => {
    const { entries } = await backend.call('databases.history', { connection: name, search: 'UPDATE customers' });
    expect(entries[0]).toMatchObject({ connection: name, channel: 'api', who: 'control-api', rowCount: null, error: expect.stringMatching(/^forbidden: Refused/) });
    const all = await backend.call('databases.history', { connection: name });
    expect(all.entries.some((entry) => entry.rowCount === 25)).toBe(true);
  });
});
