import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Knex } from 'knex';
import { startTestBackend, type TestBackend } from '../support/backend-harness';
import { createScratchDatabase, postgresServer } from '../backend/databases/database-servers';
import { median, type BenchRow } from './bench-table';

const TABLES = 300;
const BIG_ROWS = 1_000_000;
const RUNS = 5;
const FIRST_PAGE_ROWS = 100;
const MB = 1024 * 1024;

// A full collection before each memory measurement, so that one's garbage is not the next one's growth.
setFlagsFromString('--expose_gc');
const collectGarbage = runInNewContext('gc') as () => void;

/**
 * The databases capability on the real PostgreSQL: introspecting a 300-table schema (baseline: the
 * one information_schema.columns query a naive browser would run), the first page of a 1M-row
 * query through the guard and the control API (baseline: the same page with LIMIT straight through
 * knex), and the memory a streamed CSV export of the 1M rows takes over the process's RSS before it
 * (baseline: the same rows loaded at once through knex, as a driver does without a cursor).
 */
export async function benchDatabases(): Promise<BenchRow[]> {
  if (!postgresServer.reachable) {
    process.stderr.write(`bench: databases skipped, PostgreSQL at 127.0.0.1:5432 is not reachable (${postgresServer.problem})\n`);
    return [];
  }
  const scratch = await createScratchDatabase('postgres');
  let backend: TestBackend | undefined;
  try {
    await createSchema(scratch.knex);
    backend = await startTestBackend({ environment: { PARLEY_DB_BENCH_URL: scratch.url } });
    const call = backend.call.bind(backend);

    const introspection = await timeRuns(async () => {
      const schema = await call('databases.schema', { connection: 'bench', refresh: true });
      if (schema.tables.length < TABLES) throw new Error(`introspection found ${schema.tables.length} tables`);
    });
    const naiveColumns = await timeRuns(() => scratch.knex.raw("SELECT * FROM information_schema.columns WHERE table_schema = 'public'"));

    const firstPage = await timeRuns(async () => {
      const result = await call('databases.query', { connection: 'bench', sql: 'SELECT id, label, bucket FROM big ORDER BY id', maxRows: FIRST_PAGE_ROWS });
      if (result.rowCount !== FIRST_PAGE_ROWS || !result.truncated) throw new Error('first page is wrong');
    });
    const limitPage = await timeRuns(() => scratch.knex.raw(`SELECT id, label, bucket FROM big ORDER BY id LIMIT ${FIRST_PAGE_ROWS}`));

    const exportAll = async () => {
      const response = await backend!.fetch('/api/databases/export', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ connection: 'bench', sql: 'SELECT id, label, bucket FROM big' }) });
      let lines = 0;
      for await (const chunk of response.body!) for (const byte of chunk as Uint8Array) if (byte === 10) lines++;
      if (lines !== BIG_ROWS + 1) throw new Error(`export gave ${lines} lines`);
    };
    const loadAll = async () => {
      const rows = (await scratch.knex.raw('SELECT id, label, bucket FROM big')).rows as unknown[];
      if (rows.length !== BIG_ROWS) throw new Error('baseline load is wrong');
    };
    // RSS never shrinks back: measured for the export first, before anything else grew the process.
    const streamedRss = await peakDuring(exportAll, rss);
    const streamedHeap = await peakDuring(exportAll, heapAndBuffers);
    const loadedHeap = await peakDuring(loadAll, heapAndBuffers);

    return [
      { name: `databases: introspect a ${TABLES}-table PostgreSQL schema (median of ${RUNS})`, value: introspection, unit: 'ms', baselineName: 'information_schema.columns alone', baseline: naiveColumns },
      { name: `databases: first page (${FIRST_PAGE_ROWS} rows) of a 1M-row query via databases.query`, value: firstPage, unit: 'ms', baselineName: 'same page with LIMIT via knex', baseline: limitPage, goal: '< 200 ms' },
      { name: 'databases: peak RSS over the RSS before, CSV export streaming 1M rows (server and client in this process)', value: streamedRss, unit: 'MB', goal: '< 150 MB' },
      { name: 'databases: peak retained JS heap + buffers (after GC), CSV export streaming 1M rows', value: streamedHeap, unit: 'MB', baselineName: '1M rows loaded at once via knex', baseline: loadedHeap, goal: '< 150 MB' },
    ];
  } finally {
    await backend?.close();
    await scratch.drop();
  }
}

async function createSchema(knex: Knex): Promise<void> {
  const statements: string[] = [];
  for (let index = 1; index <= TABLES; index++) {
    const reference = index > 1 ? `, parent_id integer REFERENCES t_${index - 1}(id)` : '';
    statements.push(`CREATE TABLE t_${index} (id serial PRIMARY KEY, name text NOT NULL, amount numeric(12,2), created_at timestamptz DEFAULT now()${reference})`);
    statements.push(`COMMENT ON TABLE t_${index} IS 'bench table ${index}'`);
  }
  await knex.raw(statements.join(';\n'));
  await knex.raw(`CREATE TABLE big AS SELECT g AS id, md5(g::text) AS label, g % 100 AS bucket FROM generate_series(1, ${BIG_ROWS}) AS g`);
  await knex.raw('ALTER TABLE big ADD PRIMARY KEY (id)');
  await knex.raw('ANALYZE');
}

async function timeRuns(run: () => Promise<unknown>): Promise<number> {
  await run(); // warm-up: the pool connects, plans are cached
  const samples: number[] = [];
  for (let index = 0; index < RUNS; index++) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  return median(samples);
}

const rss = () => process.memoryUsage().rss;
/** What the process still holds: collected first, so garbage not yet swept does not count as use. */
const heapAndBuffers = () => {
  collectGarbage();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.external + usage.arrayBuffers;
};

/** The highest `measure` seen while `run` works (sampled every 50 ms), minus its value just before, in MB. */
async function peakDuring(run: () => Promise<void>, measure: () => number): Promise<number> {
  collectGarbage();
  await new Promise((resolve) => setTimeout(resolve, 100));
  const before = measure();
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, measure())), 50);
  try {
    await run();
  } finally {
    clearInterval(sampler);
  }
  peak = Math.max(peak, measure());
  return (peak - before) / MB;
}
