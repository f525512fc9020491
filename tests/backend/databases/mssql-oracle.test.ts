import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParleyError } from '#protocol';
import { guardReadOnly, guardWrite } from '../../../backend/databases';
import { parseConnectionUrl } from '../../../backend/databases/connections/connection-url';
import { knexConfigFor } from '../../../backend/databases/connections/knex-config';
import { inBoundedTransaction } from '../../../backend/databases/execute/bounded-transaction';
import { runInRolledBackTransaction } from '../../../backend/databases/execute/knex-transaction-runner';
import { startTestBackend, type TestBackend } from '../../support/backend-harness';
import { closedPort } from '../agent/agent-fixture';

/**
 * SQL Server and Oracle have no server here (neither installs from npm), so their paths are
 * exercised up to the server: URLs, driver settings, the guard's reading of their SQL, the
 * transaction code they share (on a knex client that, like theirs, cannot cancel a query), and
 * what an operator reads when the server is not there.
 */
describe('SQL Server and Oracle connection URLs', () => {
  it('reads mssql:// and sqlserver:// into tedious settings, TLS from the URL', () => {
    const parsed = parseConnectionUrl('mssql://report%40corp:p%40ss@db.example.com:1444/sales?encrypt=true&sslmode=require');
    expect(parsed).toEqual({ settings: { dialect: 'mssql', host: 'db.example.com', port: 1444, database: 'sales', user: 'report@corp', ssl: { enabled: true, rejectUnauthorized: false } }, password: 'p@ss' });
    expect(parseConnectionUrl('sqlserver://sa@10.0.0.5/erp').settings).toMatchObject({ dialect: 'mssql', host: '10.0.0.5', port: undefined, database: 'erp' });
    const config = knexConfigFor(parsed.settings, parsed.password);
    expect(config).toMatchObject({
      client: 'mssql',
      connection: { server: 'db.example.com', port: 1444, database: 'sales', user: 'report@corp', password: 'p@ss', options: { encrypt: true, trustServerCertificate: true } },
      pool: { min: 0 },
    });
    expect(knexConfigFor({ dialect: 'mssql', host: 'h' }, undefined)).toMatchObject({ connection: { port: 1433, options: { encrypt: false } } });
  });

  it('reads oracle:// host/service into a thin-mode connect string', () => {
    const parsed = parseConnectionUrl('oracle://scott:tiger@ora.example.com:1522/FREEPDB1');
    expect(parsed).toEqual({ settings: { dialect: 'oracle', host: 'ora.example.com', port: 1522, database: 'FREEPDB1', user: 'scott' }, password: 'tiger' });
    expect(knexConfigFor(parsed.settings, parsed.password)).toMatchObject({ client: 'oracledb', connection: { user: 'scott', password: 'tiger', connectString: 'ora.example.com:1522/FREEPDB1' } });
    expect(knexConfigFor({ dialect: 'oracle', host: 'ora' }, undefined)).toMatchObject({ connection: { connectString: 'ora:1521/' } });
  });
});

/** Reads as a model writes them for SQL Server: each passes the guard. */
const TSQL_READS = [
  'SELECT TOP 10 name, city FROM dbo.customers ORDER BY name',
  'SELECT [name], [city] FROM [dbo].[customers] WHERE [city] = N\'Paris\'',
  'SELECT name FROM customers ORDER BY name OFFSET 10 ROWS FETCH NEXT 10 ROWS ONLY',
  'SELECT c.name, COUNT(*) AS orders FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.name HAVING COUNT(*) > 2',
  'WITH spend AS (SELECT customer_id, SUM(total) AS total FROM orders GROUP BY customer_id) SELECT TOP 3 * FROM spend ORDER BY total DESC',
  'SELECT name, ROW_NUMBER() OVER (PARTITION BY city ORDER BY name) AS n FROM customers',
  "SELECT FORMAT(ordered_on, 'yyyy-MM') AS month, SUM(total) AS revenue FROM orders GROUP BY FORMAT(ordered_on, 'yyyy-MM')",
  'SELECT ISNULL(city, \'?\') AS city, DATEADD(day, -7, GETDATE()) AS since FROM customers',
];

/** Reads as a model writes them for Oracle that DB2's grammar in node-sql-parser reads. */
const ORACLE_READS = [
  'SELECT sysdate FROM dual',
  'SELECT * FROM (SELECT name FROM customers ORDER BY name) WHERE ROWNUM <= 10',
  'SELECT name FROM customers ORDER BY name FETCH FIRST 10 ROWS ONLY',
  'SELECT name FROM customers ORDER BY name OFFSET 5 ROWS FETCH NEXT 10 ROWS ONLY',
  "SELECT NVL(city, 'none') AS city, COUNT(*) AS n FROM customers GROUP BY NVL(city, 'none')",
  "SELECT TO_CHAR(ordered_on, 'YYYY-MM') AS month, SUM(total) FROM orders GROUP BY TO_CHAR(ordered_on, 'YYYY-MM')",
  'SELECT first_name || \' \' || last_name AS full_name FROM "HR"."EMPLOYEES"',
  "SELECT DECODE(status, 'A', 'Active', 'Other') AS status FROM orders",
  'SELECT id FROM current_orders MINUS SELECT id FROM shipped_orders',
  "SELECT * FROM orders WHERE ordered_on > SYSDATE - INTERVAL '7' DAY",
  "SELECT * FROM orders WHERE ordered_on >= DATE '2024-01-01'",
  'SELECT name, RANK() OVER (PARTITION BY city ORDER BY total DESC) AS r FROM customers',
  'WITH t AS (SELECT id, total FROM orders) SELECT SUM(total) FROM t',
];

/**
 * Oracle syntax DB2's grammar cannot read: refused as unreadable (a false refusal costs the model
 * a rewrite; reading it wrongly could cost data). README, Databases, says how to write them instead.
 */
const ORACLE_UNREADABLE = [
  'SELECT employee_id, LEVEL FROM employees START WITH manager_id IS NULL CONNECT BY PRIOR employee_id = manager_id',
  'SELECT e.name, d.name FROM emp e, dept d WHERE e.dept_id = d.id(+)',
  "SELECT LISTAGG(name, ', ') WITHIN GROUP (ORDER BY name) FROM customers",
  'SELECT EXTRACT(YEAR FROM ordered_on) AS y FROM orders',
];

describe('the guard reads T-SQL and Oracle', () => {
  it.each(TSQL_READS)('SQL Server: lets %s through', (sql) => {
    expect(guardReadOnly(sql, 'mssql').sql).toBe(sql);
  });

  it.each(ORACLE_READS)('Oracle: lets %s through', (sql) => {
    expect(guardReadOnly(sql, 'oracle').sql).toBe(sql);
  });

  it.each(ORACLE_UNREADABLE)('Oracle: refuses what it cannot read, saying so: %s', (sql) => {
    const refusal = (() => {
      try {
        guardReadOnly(sql, 'oracle');
      } catch (error) {
        return error as ParleyError;
      }
      throw new Error('expected a refusal');
    })();
    expect(refusal).toBeInstanceOf(ParleyError);
    expect(refusal.code).toBe('forbidden');
    expect(refusal.message).toMatch(/could not be parsed as one oracle read statement/);
    expect(refusal.hint).toMatch(/plain SQL/);
  });

  it("refuses an Oracle q'[...]' literal rather than misreading it", () => {
    expect(() => guardReadOnly("SELECT q'[it's]' AS s FROM dual", 'oracle')).toThrow(/Refused: /);
  });

  it('reads their writes with the write guard', () => {
    expect(guardWrite('UPDATE [dbo].[products] SET [unit_price] = 2 WHERE [id] = 1', 'mssql')).toMatchObject({ statement: 'UPDATE', everyRow: false });
    expect(guardWrite("INSERT INTO customers (id, name) VALUES (customers_seq.NEXTVAL, 'Zoe')", 'oracle')).toMatchObject({ statement: 'INSERT' });
    expect(() => guardWrite("UPDATE products SET unit_price = 1 WHERE id = 1; WAITFOR DELAY '00:00:05'", 'mssql')).toThrow(/more than one statement/);
    expect(() => guardWrite('DELETE FROM orders WHERE id = 1 RETURNING id INTO :gone', 'oracle')).toThrow(/INTO/);
  });
});

/**
 * The transaction SQL Server and Oracle run in, on a knex client that cannot cancel a query either
 * (better-sqlite3, here): knex's `.timeout(ms, {cancel: true})` throws "not supported" on such
 * clients before anything is sent, which once made every SQL Server and Oracle query fail.
 */
describe('the bounded transaction of the dialects whose knex client cannot cancel', () => {
  let dir: string;
  let knex: Knex;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'parley-bounded-'));
    knex = knexFactory({ client: 'better-sqlite3', connection: { filename: join(dir, 'db.sqlite3') }, useNullAsDefault: true, pool: { min: 1, max: 1 } });
    await knex.raw('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
    await knex('t').insert([{ id: 1, v: 'a' }, { id: 2, v: 'b' }, { id: 3, v: 'c' }]);
  });
  afterAll(async () => {
    await knex?.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers a read with its columns and capped rows, and rolls back', async () => {
    const page = await runInRolledBackTransaction(knex, 'mssql', { sql: 'SELECT id, v FROM t ORDER BY id', maxRows: 2, timeoutMs: 5_000 });
    expect(page).toEqual({ columns: ['id', 'v'], rows: [[1, 'a'], [2, 'b']], truncated: true });
    // The transaction is over: the single pooled connection answers the next query.
    expect(await knex('t').count({ n: '*' })).toEqual([{ n: 3 }]);
  });

  it('commits a write that finished, rolls back one that failed, and sends nothing once cancelled', async () => {
    await inBoundedTransaction(knex, 'mssql', { timeoutMs: 5_000 }, 'commit', (trx) => trx.raw("UPDATE t SET v = 'changed' WHERE id = 1"));
    expect(await knex('t').where({ id: 1 }).first()).toEqual({ id: 1, v: 'changed' });

    const failing = inBoundedTransaction(knex, 'mssql', { timeoutMs: 5_000 }, 'commit', async (trx) => {
      await trx.raw("UPDATE t SET v = 'lost' WHERE id = 2");
      await trx.raw('SELECT * FROM missing_table');
    });
    await expect(failing).rejects.toThrow(/missing_table/);
    expect(await knex('t').where({ id: 2 }).first()).toEqual({ id: 2, v: 'b' });

    const controller = new AbortController();
    controller.abort();
    let ran = false;
    const cancelled = inBoundedTransaction(knex, 'oracle', { timeoutMs: 5_000, signal: controller.signal }, 'commit', async () => {
      ran = true;
    });
    await expect(cancelled).rejects.toMatchObject({ code: 'cancelled' });
    expect(ran).toBe(false);
  });
});

describe('SQL Server and Oracle without a server: what the operator reads', () => {
  let backend: TestBackend;
  let port: number;
  beforeAll(async () => {
    backend = await startTestBackend();
    port = await closedPort();
  });
  afterAll(async () => backend?.close());

  it.each(['mssql', 'oracle'] as const)('%s: a query says nothing accepts connections there, as the test button does', async (dialect) => {
    await backend.call('databases.save', { name: `${dialect}_sales`, dialect, host: '127.0.0.1', port, user: 'report', database: 'sales', password: 'secret' });
    const failure = await backend.call('databases.query', { connection: `${dialect}_sales`, sql: dialect === 'oracle' ? 'SELECT 1 AS one FROM dual' : 'SELECT 1 AS one' }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'unavailable', message: `Nothing accepts connections on 127.0.0.1:${port}`, hint: expect.stringMatching(/server runs/) as unknown });
    expect(await backend.call('databases.test', { name: `${dialect}_sales` })).toMatchObject({ ok: false, message: `Nothing accepts connections on 127.0.0.1:${port}` });
  }, 30_000);

  it('Oracle without a password says so instead of the driver’s NJS-101', async () => {
    await backend.call('databases.save', { name: 'oracle_nopass', dialect: 'oracle', host: '127.0.0.1', port, user: 'scott', database: 'FREEPDB1' });
    const failure = await backend.call('databases.query', { connection: 'oracle_nopass', sql: 'SELECT 1 AS one FROM dual' }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'unavailable', message: `Oracle needs a password for the user "scott" at 127.0.0.1:${port}, and none was given`, hint: expect.stringMatching(/Type the password/) as unknown });
  });
});
