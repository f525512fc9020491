import { describe, expect, it } from 'vitest';
import { ParleyError, type DatabaseDialect } from '#protocol';
import { guardWrite } from '../../../backend/databases';

const ALL: DatabaseDialect[] = ['postgres', 'mysql', 'sqlite', 'mssql', 'oracle'];

function refusalOf(sql: string, dialect: DatabaseDialect): ParleyError {
  try {
    guardWrite(sql, dialect);
  } catch (error) {
    if (error instanceof ParleyError) return error;
    throw error;
  }
  throw new Error(`expected a refusal of ${sql} (${dialect})`);
}

/** One write each, as a model would write it for an operator's request. */
const LEGITIMATE: Array<{ sql: string; dialects: DatabaseDialect[]; statement: string; everyRow: boolean }> = [
  { sql: 'UPDATE products SET unit_price = 4.5 WHERE id = 3', dialects: ALL, statement: 'UPDATE', everyRow: false },
  { sql: "uPdAtE customers SET city = 'Lyon' WHERE name = 'Ada' -- moved in May\n;", dialects: ALL, statement: 'UPDATE', everyRow: false },
  { sql: "UPDATE products SET name = 'drop table; delete from x' WHERE id = 1", dialects: ALL, statement: 'UPDATE', everyRow: false },
  { sql: 'UPDATE products SET in_stock = 0', dialects: ALL, statement: 'UPDATE', everyRow: true },
  { sql: "INSERT INTO customers (name, city) VALUES ('Zoe', 'Oslo')", dialects: ALL, statement: 'INSERT', everyRow: false },
  { sql: "INSERT INTO archive (id, total) SELECT id, total FROM orders WHERE status = 'cancelled'", dialects: ALL, statement: 'INSERT', everyRow: false },
  { sql: "DELETE FROM orders WHERE status = 'cancelled' AND id IN (SELECT order_id FROM order_lines WHERE quantity = 0)", dialects: ALL, statement: 'DELETE', everyRow: false },
  { sql: 'DELETE FROM sessions', dialects: ALL, statement: 'DELETE', everyRow: true },
  { sql: "DELETE FROM orders WHERE id = 7 RETURNING id", dialects: ['postgres'], statement: 'DELETE', everyRow: false },
  { sql: 'UPDATE [dbo].[products] SET [unit_price] = 2 WHERE [id] = 1', dialects: ['mssql'], statement: 'UPDATE', everyRow: false },
  { sql: 'UPDATE `products` SET `unit_price` = 2 WHERE `id` = 1 LIMIT 1', dialects: ['mysql'], statement: 'UPDATE', everyRow: false },
];

/** Writes a connection that allows writes must still refuse, before anybody is asked. */
const HOSTILE: Array<{ sql: string; dialects: DatabaseDialect[]; reason: RegExp }> = [
  { sql: 'DROP TABLE orders', dialects: ALL, reason: /starts with DROP/ },
  { sql: 'CREATE TABLE x (id int)', dialects: ALL, reason: /starts with CREATE/ },
  { sql: 'ALTER TABLE orders ADD COLUMN x int', dialects: ALL, reason: /starts with ALTER/ },
  { sql: 'TRUNCATE TABLE orders', dialects: ALL, reason: /starts with TRUNCATE/ },
  { sql: 'GRANT ALL ON orders TO public', dialects: ALL, reason: /starts with GRANT/ },
  { sql: 'SELECT * FROM orders', dialects: ALL, reason: /starts with SELECT/ },
  { sql: "UPDATE products SET unit_price = 1 WHERE id = 1; DROP TABLE orders", dialects: ALL, reason: /more than one statement/ },
  { sql: "UPDATE products SET unit_price = 1 WHERE id = 1;\n-- harmless\nDELETE FROM orders", dialects: ALL, reason: /more than one statement/ },
  { sql: 'UPDATE products SET unit_price = 1 WHERE id = 1 /*! ; DROP TABLE orders */', dialects: ['mysql'], reason: /executable comment/ },
  { sql: 'WITH gone AS (DELETE FROM orders RETURNING *) INSERT INTO archive SELECT * FROM gone', dialects: ['postgres'], reason: /starts with WITH/ },
  { sql: 'UPDATE products SET unit_price = (WITH d AS (DELETE FROM orders RETURNING 1) SELECT count(*) FROM d) WHERE id = 1', dialects: ['postgres'], reason: /DELETE modifies data/ },
  { sql: "INSERT INTO customers (id, name) VALUES (1, 'x') ON CONFLICT (id) DO UPDATE SET name = 'x'", dialects: ['postgres', 'sqlite'], reason: /upsert/ },
  { sql: "INSERT INTO customers (id, name) VALUES (1, 'x') ON DUPLICATE KEY UPDATE name = 'x'", dialects: ['mysql'], reason: /upsert/ },
  { sql: "REPLACE INTO customers (id, name) VALUES (1, 'x')", dialects: ['mysql', 'sqlite'], reason: /starts with REPLACE/ },
  { sql: 'MERGE INTO products p USING updates u ON (p.id = u.id) WHEN MATCHED THEN UPDATE SET p.unit_price = u.price', dialects: ['mssql', 'oracle', 'postgres'], reason: /starts with MERGE/ },
  { sql: "INSERT INTO archive SELECT * FROM orders INTO OUTFILE '/tmp/orders.csv'", dialects: ['mysql'], reason: /INTO writes its result somewhere/ },
  { sql: 'UPDATE orders SET status = 1 WHERE id IN (SELECT id FROM orders FOR UPDATE)', dialects: ['postgres', 'mysql'], reason: /UPDATE modifies data/ },
  { sql: 'UPDATE orders SET status = 1 WHERE id IN (SELECT id FROM orders FOR SHARE)', dialects: ['postgres'], reason: /FOR SHARE is a locking clause/ },
  { sql: 'UPDATE products SET unit_price = 1 WHERE pg_sleep(10) IS NULL', dialects: ['postgres'], reason: /pg_sleep sleeps/ },
  { sql: 'DELETE FROM orders WHERE SLEEP(10) = 0', dialects: ['mysql'], reason: /SLEEP sleeps/ },
  { sql: "INSERT INTO notes (body) VALUES (LOAD_FILE('/etc/passwd'))", dialects: ['mysql'], reason: /LOAD_FILE reads or writes files/ },
  { sql: "INSERT INTO notes (body) VALUES (pg_read_file('/etc/passwd'))", dialects: ['postgres'], reason: /pg_read_file reads or writes files/ },
  { sql: "INSERT INTO orders (id) VALUES (nextval('order_numbers'))", dialects: ['postgres'], reason: /nextval has side effects/ },
  { sql: "UPDATE products SET name = dblink_exec('host=evil', 'DROP TABLE x') WHERE id = 1", dialects: ['postgres'], reason: /dblink_exec/ },
  { sql: "UPDATE products SET unit_price = 1 WHERE id = 1; WAITFOR DELAY '00:00:10'", dialects: ['mssql'], reason: /more than one statement/ },
  { sql: "INSERT INTO notes (body) EXEC xp_cmdshell 'dir'", dialects: ['mssql'], reason: /EXEC executes/ },
  { sql: "UPDATE products SET name = 'x' OUTPUT inserted.* INTO audit WHERE id = 1", dialects: ['mssql'], reason: /INTO writes its result somewhere/ },
  { sql: 'UPDATE products SET unit_price = 1 WHERE id = 1 AND dbms_lock.sleep(10) IS NULL', dialects: ['oracle'], reason: /dbms_lock/ },
  { sql: 'DELETE FROM orders WHERE id = 1 RETURNING id INTO :gone', dialects: ['oracle'], reason: /INTO writes its result somewhere/ },
  { sql: "UPDATE products SET name = load_extension('/tmp/evil.so') WHERE id = 1", dialects: ['sqlite'], reason: /load_extension/ },
  { sql: "ATTACH DATABASE '/tmp/x.db' AS x", dialects: ['sqlite'], reason: /starts with ATTACH/ },
  { sql: 'CALL purge_orders()', dialects: ['postgres', 'mysql'], reason: /starts with CALL/ },
  { sql: "SET @x := 1", dialects: ['mysql'], reason: /starts with SET/ },
  { sql: "UPDATE products SET name = 'unterminated WHERE id = 1", dialects: ALL, reason: /unterminated string/ },
];

describe('the write guard: one INSERT, UPDATE or DELETE, nothing else', () => {
  for (const dialect of ALL) {
    it.each(LEGITIMATE.filter((entry) => entry.dialects.includes(dialect)))(`${dialect}: lets $sql through`, ({ sql, statement, everyRow }) => {
      const guarded = guardWrite(sql, dialect);
      expect(guarded).toMatchObject({ statement, everyRow });
      expect(guarded.sql).not.toMatch(/;\s*$|--/);
    });
    it.each(HOSTILE.filter((entry) => entry.dialects.includes(dialect)))(`${dialect}: refuses $sql`, ({ sql, reason }) => {
      const refusal = refusalOf(sql, dialect);
      expect(refusal.code).toBe('forbidden');
      expect(refusal.message).toMatch(/^Refused: /);
      expect(refusal.message).toMatch(reason);
      expect(refusal.hint).toMatch(/INSERT, UPDATE or DELETE/);
    });
  }

  it('counts at least 30 hostile writes across the dialects', () => {
    expect(HOSTILE.length).toBeGreaterThanOrEqual(30);
  });
});
