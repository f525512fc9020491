import { once } from 'node:events';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { APP_DATABASE_FILE, openAppStore, type AppStore, type StoreMigration } from '../../../backend/store';
import { useTempDirs } from './temp-dir';

const tempDir = useTempDirs();
const open: AppStore[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((store) => store.close()));
});

const notes: StoreMigration = {
  name: '0100_notes',
  async up(knex) {
    await knex.schema.createTable('notes', (table) => {
      table.increments('id');
      table.string('body').notNullable();
      table.boolean('pinned').notNullable().defaultTo(false);
      table.bigInteger('at');
    });
  },
  async down(knex) {
    await knex.schema.dropTable('notes');
  },
};

async function openStore(): Promise<{ store: AppStore; dataDir: string }> {
  const dataDir = await tempDir();
  const store = await openAppStore({ dataDir, secretKey: undefined, migrations: [notes] });
  open.push(store);
  return { store, dataDir };
}

describe('statements outside a transaction (run at once on the connection)', () => {
  it('give what knex gives for every kind of query', async () => {
    const { store } = await openStore();
    const knex = store.knex;
    expect(await knex('notes').insert({ body: 'first', pinned: true, at: new Date(5_000) })).toEqual([1]);
    expect(await knex('notes').insert([{ body: 'second' }, { body: 'third' }])).toEqual([3]);
    expect(await knex('notes').insert({ body: 'fourth' }).returning(['id', 'body'])).toEqual([{ id: 4, body: 'fourth' }]);
    expect(await knex('notes').select('id', 'body').orderBy('id')).toEqual([
      { id: 1, body: 'first' },
      { id: 2, body: 'second' },
      { id: 3, body: 'third' },
      { id: 4, body: 'fourth' },
    ]);
    // Booleans and dates are bound as knex binds them for SQLite.
    expect(await knex('notes').first('pinned', 'at').where({ pinned: true })).toEqual({ pinned: 1, at: 5_000 });
    expect(await knex('notes').first('id').where({ body: 'nobody' })).toBeUndefined();
    expect(await knex('notes').pluck('body').where('id', '>', 2).orderBy('id')).toEqual(['third', 'fourth']);
    expect(await knex('notes').where({ id: 2 }).update({ body: 'second, edited' })).toBe(1);
    expect(await knex('notes').where({ id: 3 }).update({ body: 'third, edited' }).returning('body')).toEqual([{ body: 'third, edited' }]);
    expect(await knex('notes').where({ id: 1 }).increment('at', 1)).toBe(1);
    expect(await knex('notes').where('id', '>', 3).delete()).toBe(1);
    expect(await knex('notes').count({ count: '*' })).toEqual([{ count: 3 }]);
    await expect(knex('notes').insert({ body: null })).rejects.toThrow(/NOT NULL/);
    await expect(knex('missing_table').select('*')).rejects.toThrow(/no such table/);
  });

  it('wait for a transaction open on the connection, and are not part of it', async () => {
    const { store } = await openStore();
    const knex = store.knex;
    let outsideDone = false;
    let outside: Promise<unknown> | undefined;
    await expect(
      knex.transaction(async (trx) => {
        await trx('notes').insert({ body: 'inside' });
        // Issued while the transaction is open: it must neither join it nor see its write early.
        outside = knex('notes').insert({ body: 'outside' }).then(() => (outsideDone = true));
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(outsideDone).toBe(false);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    await outside;
    expect(await knex('notes').pluck('body')).toEqual(['outside']);
  });

  it('take the write lock at BEGIN: another connection writing between a transaction’s read and its write waits instead of failing it', async () => {
    const { store, dataDir } = await openStore();
    let writer: Worker | undefined;
    let written: Promise<unknown> | undefined;
    await store.knex.transaction(async (trx) => {
      const [before] = (await trx('notes').count({ count: '*' })) as Array<{ count: number }>;
      // Another connection on another thread (as the public listener's) writes now. With a plain
      // BEGIN it would commit at once, and this transaction's write below would fail with SQLITE_BUSY.
      writer = new Worker(
        `const Database = require(${JSON.stringify(createRequire(import.meta.url).resolve('better-sqlite3'))});
         const db = new Database(${JSON.stringify(join(dataDir, APP_DATABASE_FILE))});
         db.pragma('busy_timeout = 5000');
         db.prepare("insert into notes (body) values ('other')").run();
         require('node:worker_threads').parentPort.postMessage(Date.now());`,
        { eval: true },
      );
      written = once(writer, 'message');
      await new Promise((resolve) => setTimeout(resolve, 100));
      await trx('notes').insert({ body: `after ${before!.count}` });
    });
    const committedAt = Date.now();
    const [writtenAt] = (await written) as [number];
    await writer?.terminate();
    expect(writtenAt).toBeGreaterThanOrEqual(committedAt - 5);
    expect(await store.knex('notes').pluck('body').orderBy('id')).toEqual(['after 0', 'other']);
  });
});
