import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMysqlReadOnly } from '../../../backend/databases/execute/mysql-runner';
import { runMysqlWrite } from '../../../backend/databases/execute/mysql-writer';
import { runPostgresReadOnly } from '../../../backend/databases/execute/postgres-runner';
import { runPostgresWrite } from '../../../backend/databases/execute/postgres-writer';
import { SqliteReader } from '../../../backend/databases/execute/sqlite-reader';
import { runSqliteWrite } from '../../../backend/databases/execute/sqlite-writer';
import { mariadbServer, postgresServer, shouldSkip } from './database-servers';
import { useScratchShop } from './scratch-shop';
import { checksumShop, createShopFixture } from './shop-fixture';

/**
 * Stopping a turn stops its query on the database server, not only our wait for it. These tests
 * run below the guard (which refuses sleeps) straight on the executors, with statements that
 * sleep on the server, watch the server list them as running, abort, and check the server no
 * longer runs them and nothing was written.
 */
const LONG = 60_000;

/** Aborts `controller` once `running()` says the server is executing the statement; fails if it never does. */
async function abortWhenRunning(controller: AbortController, running: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await running())) {
    if (Date.now() > deadline) throw new Error('the statement never showed up as running on the server');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  controller.abort(new Error('the turn was stopped'));
}

async function timed<T>(promise: Promise<T>): Promise<{ outcome: PromiseSettledResult<T>; ms: number }> {
  const started = Date.now();
  const [outcome] = await Promise.allSettled([promise]);
  return { outcome: outcome!, ms: Date.now() - started };
}

describe.skipIf(shouldSkip(postgresServer))('PostgreSQL: a cancelled query is cancelled on the server (pg_cancel_backend)', () => {
  const shop = useScratchShop('postgres');

  /** Statements of Parley's pool (application_name parley) running now in the scratch database. */
  const activeStatements = async (): Promise<string[]> => {
    const result = await shop.scratch.knex.raw("SELECT query FROM pg_stat_activity WHERE datname = ? AND application_name = 'parley' AND state = 'active'", [shop.scratch.name]);
    return (result.rows as Array<{ query: string }>).map((row) => row.query);
  };

  it('a read: the sleeping statement is gone from pg_stat_activity once the runner answers `cancelled`', async () => {
    const controller = new AbortController();
    const run = timed(runPostgresReadOnly(shop.knex, { sql: 'SELECT pg_sleep(30) AS slept', maxRows: 10, timeoutMs: LONG, signal: controller.signal }));
    // The cursor's FETCH runs the statement (DECLARE only plans it).
    await abortWhenRunning(controller, async () => (await activeStatements()).some((query) => query.startsWith('FETCH')));
    const { outcome, ms } = await run;
    expect(outcome).toMatchObject({ status: 'rejected', reason: { code: 'cancelled' } });
    expect(ms).toBeLessThan(5_000);
    expect(await activeStatements()).toEqual([]);
    // The pooled connection is usable again.
    expect((await runPostgresReadOnly(shop.knex, { sql: 'SELECT 1 AS one', maxRows: 1, timeoutMs: 5_000 })).rows).toEqual([[1]]);
  });

  it('a write: cancelled on the server, rolled back, the rows unchanged', async () => {
    const before = await checksumShop(shop.scratch.knex);
    const controller = new AbortController();
    const run = timed(runPostgresWrite(shop.knex, { sql: "UPDATE customers SET name = name || ' (changed)' WHERE pg_sleep(10) IS NOT NULL", timeoutMs: LONG, signal: controller.signal }));
    await abortWhenRunning(controller, async () => (await activeStatements()).some((query) => query.includes('UPDATE customers')));
    const { outcome, ms } = await run;
    expect(outcome).toMatchObject({ status: 'rejected', reason: { code: 'cancelled' } });
    expect(ms).toBeLessThan(5_000);
    expect(await activeStatements()).toEqual([]);
    expect(await checksumShop(shop.scratch.knex)).toBe(before);
  });

  it('a write that finishes is committed and reports its affected rows', async () => {
    const outcome = await runPostgresWrite(shop.knex, { sql: "UPDATE customers SET city = 'Lyon' WHERE name IN ('Ada', 'Ben')", timeoutMs: 5_000, signal: new AbortController().signal });
    expect(outcome).toEqual({ affectedRows: 2 });
    expect(await shop.scratch.knex('customers').where({ city: 'Lyon' }).count({ n: '*' })).toEqual([{ n: '2' }]);
  });
});

describe.skipIf(shouldSkip(mariadbServer))('MariaDB: a cancelled query is killed on the server (KILL QUERY)', () => {
  const shop = useScratchShop('mysql');

  const runningStatements = async (): Promise<string[]> => {
    const [rows] = (await shop.scratch.knex.raw("SELECT INFO AS info FROM information_schema.PROCESSLIST WHERE DB = ? AND COMMAND = 'Query' AND INFO LIKE '%SLEEP(%' AND ID <> CONNECTION_ID()", [shop.scratch.name])) as [Array<{ info: string }>];
    return rows.map((row) => row.info).filter((info) => !info.includes('PROCESSLIST'));
  };

  it('a read: SLEEP is gone from the process list once the runner answers `cancelled`', async () => {
    const controller = new AbortController();
    const run = timed(runMysqlReadOnly(shop.knex, { sql: 'SELECT SLEEP(30) AS slept', maxRows: 10, timeoutMs: LONG, signal: controller.signal }));
    await abortWhenRunning(controller, async () => (await runningStatements()).length > 0);
    const { outcome, ms } = await run;
    expect(outcome).toMatchObject({ status: 'rejected', reason: { code: 'cancelled' } });
    expect(ms).toBeLessThan(5_000);
    expect(await runningStatements()).toEqual([]);
    expect((await runMysqlReadOnly(shop.knex, { sql: 'SELECT 1 AS one', maxRows: 1, timeoutMs: 5_000 })).rows).toEqual([[1]]);
  });

  it('a write: killed on the server, rolled back, the rows unchanged', async () => {
    const before = await checksumShop(shop.scratch.knex);
    const controller = new AbortController();
    const run = timed(runMysqlWrite(shop.knex, { sql: "UPDATE customers SET name = CONCAT(name, ' (changed)') WHERE SLEEP(5) = 0", timeoutMs: LONG, signal: controller.signal }));
    await abortWhenRunning(controller, async () => (await runningStatements()).length > 0);
    const { outcome, ms } = await run;
    expect(outcome).toMatchObject({ status: 'rejected', reason: { code: 'cancelled' } });
    expect(ms).toBeLessThan(5_000);
    expect(await runningStatements()).toEqual([]);
    expect(await checksumShop(shop.scratch.knex)).toBe(before);
  });

  it('a write past its time limit is killed and answers `timeout`; nothing is committed', async () => {
    const before = await checksumShop(shop.scratch.knex);
    const { outcome, ms } = await timed(runMysqlWrite(shop.knex, { sql: "UPDATE customers SET name = CONCAT(name, ' (late)') WHERE SLEEP(5) = 0", timeoutMs: 600, signal: new AbortController().signal }));
    expect(outcome).toMatchObject({ status: 'rejected', reason: { code: 'timeout' } });
    expect(ms).toBeLessThan(4_000);
    expect(await runningStatements()).toEqual([]);
    expect(await checksumShop(shop.scratch.knex)).toBe(before);
  });
});

describe('SQLite: a cancelled query ends with its process', () => {
  let dir: string;
  let filename: string;
  let writer: Knex;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'parley-sqlite-cancel-'));
    filename = join(dir, 'shop.sqlite3');
    writer = knexFactory({ client: 'better-sqlite3', connection: { filename }, useNullAsDefault: true });
    await createShopFixture(writer, 'sqlite');
  }, 60_000);
  afterAll(async () => {
    await writer?.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  // Produces no row for ever: only killing the process stops it.
  const RUNAWAY = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c WHERE x < 0';

  it('a read: the reader process is killed at once; the next query gets a fresh one', async () => {
    const reader = new SqliteReader(filename);
    try {
      await reader.run({ sql: 'SELECT 1', maxRows: 1, timeoutMs: 5_000 });
      const controller = new AbortController();
      const run = timed(reader.run({ sql: RUNAWAY, maxRows: 10, timeoutMs: LONG, signal: controller.signal }));
      setTimeout(() => controller.abort(), 300);
      const { outcome, ms } = await run;
      expect(outcome).toMatchObject({ status: 'rejected', reason: { code: 'cancelled' } });
      expect(ms).toBeLessThan(3_000);
      expect(reader.open).toBe(false);
      expect((await reader.run({ sql: 'SELECT count(*) FROM numbers', maxRows: 1, timeoutMs: 5_000 })).rows).toEqual([[100_000]]);
    } finally {
      reader.close();
    }
  });

  it('a write: its process is killed mid-transaction and the file is unchanged; the next write works', async () => {
    const before = await checksumShop(writer);
    const controller = new AbortController();
    const endless = `UPDATE customers SET name = name || ' (changed)' WHERE (SELECT count(*) FROM (${RUNAWAY})) = 0`;
    const run = timed(runSqliteWrite(filename, { sql: endless, timeoutMs: LONG, signal: controller.signal }));
    setTimeout(() => controller.abort(), 500);
    const { outcome, ms } = await run;
    expect(outcome).toMatchObject({ status: 'rejected', reason: { code: 'cancelled' } });
    expect(ms).toBeLessThan(3_000);
    expect(await checksumShop(writer)).toBe(before);
    expect(await runSqliteWrite(filename, { sql: "UPDATE customers SET city = 'Cork' WHERE name = 'Ada'", timeoutMs: 5_000, signal: new AbortController().signal })).toEqual({ affectedRows: 1 });
    expect(await writer('customers').where({ name: 'Ada' }).first()).toMatchObject({ city: 'Cork' });
  });
});
