import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ParleyError } from '#protocol';
import { startTestBackend, type TestBackend } from '../../support/backend-harness';
import { mariadbServer, postgresServer, shouldSkip } from './database-servers';

async function failureOf(promise: Promise<unknown>): Promise<ParleyError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(outcome instanceof ParleyError)) throw new Error(`expected a ParleyError, got ${String(outcome)}`);
  return outcome;
}

async function toolNames(backend: TestBackend): Promise<string[]> {
  return (await backend.call('agent.tools.list', {})).tools.map((tool) => tool.name);
}

describe('database connections', () => {
  let backend: TestBackend | undefined;
  let dataDir: string | undefined;
  afterEach(async () => {
    await backend?.close();
    backend = undefined;
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    dataDir = undefined;
  });

  it('connects the demo shop on first run, with its tools; once removed it stays removed after a restart', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'parley-db-first-run-'));
    backend = await startTestBackend({ dataDir });
    const { connections } = await backend.call('databases.list', {});
    expect(connections).toEqual([expect.objectContaining({ name: 'demo_shop', source: 'demo', dialect: 'sqlite', filename: join(dataDir, 'databases', 'shop-demo.sqlite3'), open: false, hasPassword: false })]);
    const schema = await backend.call('databases.schema', { connection: 'demo_shop' });
    expect(schema.tables.map((table) => [table.name, table.kind, table.rowEstimate])).toEqual([
      ['customers', 'table', 400],
      ['order_lines', 'table', 6216],
      ['order_totals', 'view', null],
      ['orders', 'table', 2500],
      ['products', 'table', 20],
    ]);
    expect(await toolNames(backend)).toEqual(expect.arrayContaining(['db_demo_shop_list_tables', 'db_demo_shop_describe_tables', 'db_demo_shop_query']));

    expect(await backend.call('databases.remove', { name: 'demo_shop' })).toEqual({ removed: true });
    expect((await toolNames(backend)).filter((name) => name.startsWith('db_'))).toEqual([]);
    await backend.close();
    backend = await startTestBackend({ dataDir });
    expect((await backend.call('databases.list', {})).connections).toEqual([]);
  });

  it('says precisely why a connection fails: nothing listening, missing SQLite file, SQL Server and Oracle unreachable', async () => {
    backend = await startTestBackend();
    const refused = await backend.call('databases.test', { dialect: 'postgres', host: '127.0.0.1', port: 1, user: 'postgres', database: 'x' });
    expect(refused).toMatchObject({ ok: false, message: 'Nothing accepts connections on 127.0.0.1:1', hint: expect.stringMatching(/server runs/) });
    const missing = await backend.call('databases.test', { dialect: 'sqlite', filename: '/nonexistent/shop.db' });
    expect(missing).toMatchObject({ ok: false, message: expect.stringMatching(/\/nonexistent\/shop\.db does not exist or cannot be/) });
    for (const dialect of ['mssql', 'oracle'] as const) {
      const result = await backend.call('databases.test', { dialect, host: '127.0.0.1', port: 1, user: 'sa', database: 'x' });
      expect(result, dialect).toMatchObject({ ok: false, message: expect.stringMatching(/127\.0\.0\.1:1/) });
    }
    const demo = await backend.call('databases.test', { name: 'demo_shop' });
    expect(demo).toMatchObject({ ok: true, message: expect.stringMatching(/^Connected to SQLite \(3\.\d+/) });
  }, 60_000);

  it.skipIf(shouldSkip(postgresServer))('PostgreSQL: names the missing database, and answers with the version when it works', async () => {
    backend = await startTestBackend();
    const wrongDatabase = await backend.call('databases.test', { dialect: 'postgres', host: '127.0.0.1', user: 'postgres', database: 'parley_no_such_db' });
    expect(wrongDatabase).toMatchObject({ ok: false, message: 'The database "parley_no_such_db" does not exist on 127.0.0.1:5432' });
    const working = await backend.call('databases.test', { dialect: 'postgres', host: '127.0.0.1', user: 'postgres', database: 'postgres' });
    expect(working).toMatchObject({ ok: true, message: expect.stringMatching(/^Connected to PostgreSQL \(PostgreSQL \d+/) });
  });

  it.skipIf(shouldSkip(mariadbServer))('MariaDB: names the refused user', async () => {
    backend = await startTestBackend();
    const result = await backend.call('databases.test', { dialect: 'mysql', host: '127.0.0.1', user: 'parley_nobody', password: 'wrong', database: 'mysql' });
    expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/^The server refused the user "parley_nobody"/), hint: expect.stringMatching(/user name and password/) });
  });

  it.skipIf(shouldSkip(postgresServer))('adds, edits and removes a connection; the password is sealed in the vault, never returned; tools follow the connection', async () => {
    backend = await startTestBackend();
    const socket = await backend.openSocket();
    await socket.call('events.subscribe', { topics: ['databases'] });
    const saved = await backend.call('databases.save', { name: 'sales', dialect: 'postgres', host: '127.0.0.1', port: 5432, user: 'postgres', database: 'postgres', password: 'hunter2-secret' });
    expect(saved.connection).toMatchObject({ name: 'sales', source: 'user', hasPassword: true, open: false });
    expect(JSON.stringify(saved)).not.toContain('hunter2-secret');
    await socket.waitForEvent('databases.changed');

    // Sealed at rest: the store holds ciphertext under the connection's secret name.
    const row = (await backend.backend.store.knex('secrets').where({ name: 'databases.sales.password' }).first()) as { sealed: Buffer };
    expect(row.sealed.includes(Buffer.from('hunter2-secret'))).toBe(false);
    const stored = (await backend.backend.store.knex('database_connections').where({ name: 'sales' }).first()) as { settings_json: string };
    expect(stored.settings_json).not.toContain('hunter2');
    expect(await toolNames(backend)).toContain('db_sales_query');

    // Trust auth ignores the password: the query works, the pool opened on first use.
    const result = await backend.call('databases.query', { connection: 'sales', sql: 'SELECT current_database() AS db' });
    expect(result.rows).toEqual([['postgres']]);
    expect((await backend.call('databases.list', {})).connections.find((connection) => connection.name === 'sales')!.open).toBe(true);

    // Editing without a password keeps it; null removes it.
    await backend.call('databases.save', { name: 'sales', dialect: 'postgres', host: '127.0.0.1', user: 'postgres', database: 'template1' });
    let listed = (await backend.call('databases.list', {})).connections.find((connection) => connection.name === 'sales')!;
    expect(listed).toMatchObject({ database: 'template1', hasPassword: true, open: false });
    await backend.call('databases.save', { name: 'sales', dialect: 'postgres', host: '127.0.0.1', user: 'postgres', database: 'template1', password: null });
    listed = (await backend.call('databases.list', {})).connections.find((connection) => connection.name === 'sales')!;
    expect(listed.hasPassword).toBe(false);

    expect(await backend.call('databases.remove', { name: 'sales' })).toEqual({ removed: true });
    expect(await toolNames(backend)).not.toContain('db_sales_query');
    expect(await backend.backend.store.knex('secrets').where({ name: 'databases.sales.password' }).first()).toBeUndefined();
    expect((await failureOf(backend.call('databases.query', { connection: 'sales', sql: 'SELECT 1' }))).code).toBe('not_found');
  });

  it('reads PARLEY_DB_<NAME>_URL (password kept in memory only), and refuses to edit or remove it', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'parley-db-env-'));
    backend = await startTestBackend({ dataDir, environment: { PARLEY_DB_WAREHOUSE_URL: 'postgres://reader:s3cret@db.internal:6543/stock?sslmode=require', PARLEY_DB_BROKEN_URL: 'ftp://nope' } });
    const { connections } = await backend.call('databases.list', {});
    expect(connections.find((connection) => connection.name === 'warehouse')).toMatchObject({
      source: 'env',
      dialect: 'postgres',
      host: 'db.internal',
      port: 6543,
      database: 'stock',
      user: 'reader',
      hasPassword: true,
      ssl: { enabled: true, rejectUnauthorized: false },
    });
    expect(connections.map((connection) => connection.name)).not.toContain('broken');
    expect(await backend.backend.store.knex('secrets').where({ name: 'databases.warehouse.password' }).first()).toBeUndefined();
    expect((await failureOf(backend.call('databases.remove', { name: 'warehouse' }))).code).toBe('conflict');
    expect((await failureOf(backend.call('databases.save', { name: 'warehouse', dialect: 'sqlite', filename: '/tmp/x.db' }))).code).toBe('conflict');
  });
});
