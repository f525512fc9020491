import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMysqlReadOnly } from '../../../backend/databases/execute/mysql-runner';
import { runPostgresReadOnly } from '../../../backend/databases/execute/postgres-runner';
import { SqliteReader } from '../../../backend/databases/execute/sqlite-reader';
import { mariadbServer, postgresServer, shouldSkip } from './database-servers';
import { useScratchShop } from './scratch-shop';
import { checksumShop, createShopFixture } from './shop-fixture';

/**
 * The layers after the parser: if a write slipped past the guard, the database itself refuses it
 * (read-only transaction, read-only file). These tests hand writes straight to the runners.
 */
const request = (sql: string) => ({ sql, maxRows: 100, timeoutMs: 5_000 });

describe.skipIf(shouldSkip(postgresServer))('PostgreSQL read-only transaction', () => {
  const shop = useScratchShop('postgres');

  it('refuses nextval and a data-modifying CTE that bypassed the guard, and nothing changes', async () => {
    const before = await checksumShop(shop.scratch.knex);
    await expect(runPostgresReadOnly(shop.knex, request("SELECT nextval('order_numbers')"))).rejects.toThrow(/read-only transaction/);
    await expect(runPostgresReadOnly(shop.knex, request('WITH d AS (DELETE FROM orders RETURNING *) SELECT * FROM d'))).rejects.toThrow(/read-only transaction|DECLARE CURSOR/);
    expect(await checksumShop(shop.scratch.knex)).toBe(before);
    const [sequence] = (await shop.scratch.knex.raw('SELECT last_value, is_called FROM order_numbers')).rows as Array<{ is_called: boolean }>;
    expect(sequence!.is_called).toBe(false);
  });
});

describe.skipIf(shouldSkip(mariadbServer))('MariaDB read-only transaction', () => {
  const shop = useScratchShop('mysql');

  it('refuses an INSERT and a DELETE that bypassed the guard, and nothing changes', async () => {
    const before = await checksumShop(shop.scratch.knex);
    await expect(runMysqlReadOnly(shop.knex, request("INSERT INTO customers (name) VALUES ('x')"))).rejects.toThrow(/READ ONLY transaction/i);
    await expect(runMysqlReadOnly(shop.knex, request('DELETE FROM orders'))).rejects.toThrow(/READ ONLY transaction/i);
    expect(await checksumShop(shop.scratch.knex)).toBe(before);
  });
});

describe('SQLite read-only reader process', () => {
  let dir: string;
  let filename: string;
  let writer: Knex;
  let reader: SqliteReader;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'parley-sqlite-layers-'));
    filename = join(dir, 'shop.sqlite3');
    writer = knexFactory({ client: 'better-sqlite3', connection: { filename }, useNullAsDefault: true });
    await createShopFixture(writer, 'sqlite');
    reader = new SqliteReader(filename);
  }, 60_000);
  afterAll(async () => {
    reader?.close();
    await writer?.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses writes the guard would have refused, from the file opened read-only', async () => {
    const before = await checksumShop(writer);
    await expect(reader.run(request('DELETE FROM orders'))).rejects.toMatchObject({ code: 'forbidden' });
    await expect(reader.run(request("INSERT INTO customers (name) VALUES ('x')"))).rejects.toMatchObject({ code: 'forbidden' });
    await expect(reader.run(request("ATTACH DATABASE '/tmp/parley-attach.db' AS x"))).rejects.toMatchObject({ code: 'forbidden' });
    expect(await checksumShop(writer)).toBe(before);
  });

  it('caps rows, and kills a runaway query at its timeout; the next query gets a fresh reader', async () => {
    const page = await reader.run({ sql: 'SELECT n FROM numbers ORDER BY n', maxRows: 10, timeoutMs: 5_000 });
    expect(page).toMatchObject({ columns: ['n'], truncated: true });
    expect(page.rows).toEqual(Array.from({ length: 10 }, (_unused, index) => [index + 1]));
    const started = Date.now();
    // Produces no row for ever: only killing the process stops it.
    const runaway = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c WHERE x < 0';
    await expect(reader.run({ sql: runaway, maxRows: 10, timeoutMs: 500 })).rejects.toMatchObject({ code: 'timeout' });
    expect(Date.now() - started).toBeLessThan(3_000);
    const after = await reader.run({ sql: 'SELECT count(*) AS n FROM numbers', maxRows: 10, timeoutMs: 5_000 });
    expect(after.rows).toEqual([[100_000]]);
  });
});
