/**
 * A job queue in its own process, for the tests that need a second process on the same store:
 *   hang <dataDir> <queue> <leaseMs>        works the queue; prints "started <id>" and never finishes
 *   enqueue <dataDir> <queue> <key> <count> prints "ready", waits for "go" on stdin, then enqueues
 *                                           <count> jobs with idempotency key <key> at once and
 *                                           prints one "result <json>" line per enqueue
 */
import { createInterface } from 'node:readline';
import { createSqliteJobQueue, jobMigrations } from '../../../../backend/platform/jobs';
import { openAppStore } from '../../../../backend/store';

const [mode, dataDir, queueName, ...rest] = process.argv.slice(2);
if (!mode || !dataDir || !queueName) throw new Error('usage: job-worker-process.ts hang|enqueue <dataDir> <queue> ...');

const store = await openAppStore({ dataDir, secretKey: undefined, migrations: jobMigrations });
const queue = createSqliteJobQueue({ knex: store.knex, pollMs: 10 });

if (mode === 'hang') {
  queue.work(queueName, { concurrency: 1, leaseMs: Number(rest[0] ?? 500) }, async (job) => {
    process.stdout.write(`started ${job.id}\n`);
    await new Promise(() => {});
  });
  queue.start();
} else if (mode === 'enqueue') {
  const [key, count] = rest;
  process.stdout.write('ready\n');
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (line.trim() !== 'go') continue;
    const results = await Promise.all(Array.from({ length: Number(count) }, (_, index) => queue.enqueue(queueName, { from: process.pid, index }, { idempotencyKey: key })));
    for (const result of results) process.stdout.write(`result ${JSON.stringify(result)}\n`);
    process.stdout.write('done\n');
    break;
  }
  lines.close();
  await store.close();
}
