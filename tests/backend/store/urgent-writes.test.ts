import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openAppStore, type AppStore, type StoreMigration } from '../../../backend/store';
import { WalFileSync } from '../../../backend/store/urgent-writes';
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
      table.string('id').primary();
      table.text('body').notNullable();
    });
  },
  async down(knex) {
    await knex.schema.dropTable('notes');
  },
};

async function openStore(): Promise<AppStore> {
  const store = await openAppStore({ dataDir: await tempDir(), secretKey: undefined, migrations: [notes] });
  open.push(store);
  return store;
}

describe('urgent writes', () => {
  it('run ahead of a backlog in the store’s queue, and resolve once synced', async () => {
    const store = await openStore();
    // Work the rest of the app queued first: each query waits for its turn on the one connection.
    const backlog = Array.from({ length: 400 }, (_, index) => store.knex('notes').insert({ id: `queued-${index}`, body: 'x'.repeat(200) }));
    const result = await store.urgent.run(store.knex('notes').insert({ id: 'webhook', body: 'wamid.1' }).returning('id'));
    await Promise.all(backlog);

    expect(result).toEqual({ rows: [{ id: 'webhook' }], changes: 1 });
    // Rowids follow the order of the writes: the urgent one went in before most of the backlog.
    const rows = (await store.knex('notes').select('id').orderBy(store.knex.raw('rowid'))) as Array<{ id: string }>;
    expect(rows).toHaveLength(401);
    expect(rows.findIndex((row) => row.id === 'webhook')).toBeLessThan(50);
  });

  it('wait for a transaction that is open between its statements, and are not part of it', async () => {
    const store = await openStore();
    let urgentDone = false;
    let urgent: Promise<unknown> | undefined;
    await expect(
      store.knex.transaction(async (trx) => {
        await trx('notes').insert({ id: 'in-transaction', body: 'rolled back' });
        urgent = store.urgent.run(store.knex('notes').insert({ id: 'urgent', body: 'kept' })).then(() => (urgentDone = true));
        // Several turns of the event loop with the transaction open: the urgent write must wait.
        for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve));
        expect(urgentDone).toBe(false);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    await urgent;

    expect(await store.knex('notes').select('id')).toEqual([{ id: 'urgent' }]);
  });

  it('give each statement of a group its own outcome: a duplicate returns no row, a failure rejects only its caller', async () => {
    const store = await openStore();
    await store.knex('notes').insert({ id: 'taken', body: 'first' });
    const insert = (id: string) => store.knex('notes').insert({ id, body: 'new' });
    const [duplicate, failed, fine, update] = await Promise.allSettled([
      store.urgent.run(insert('taken').onConflict('id').ignore().returning('id')),
      store.urgent.run(insert('taken')),
      store.urgent.run(insert('fresh').returning('id')),
      store.urgent.run(store.knex('notes').where({ id: 'taken' }).update({ body: 'changed' })),
    ]);

    expect(duplicate).toEqual({ status: 'fulfilled', value: { rows: [], changes: 0 } });
    expect(failed.status).toBe('rejected');
    expect(String((failed as PromiseRejectedResult).reason)).toMatch(/UNIQUE constraint failed: notes.id/);
    expect(fine).toEqual({ status: 'fulfilled', value: { rows: [{ id: 'fresh' }], changes: 1 } });
    expect(update).toEqual({ status: 'fulfilled', value: { rows: [], changes: 1 } });
    expect(await store.knex('notes').select('id', 'body').orderBy('id')).toEqual([
      { id: 'fresh', body: 'new' },
      { id: 'taken', body: 'changed' },
    ]);
  });

  it('leave the connection as the store runs it: WAL, synchronous NORMAL, no transaction open', async () => {
    const store = await openStore();
    await store.urgent.run(store.knex('notes').insert({ id: 'a', body: 'b' }));
    const pragma = async (name: string) => Object.values(((await store.knex.raw(`PRAGMA ${name}`)) as Array<Record<string, unknown>>)[0]!)[0];
    expect(await pragma('journal_mode')).toBe('wal');
    // 1 = NORMAL: commits are not synced one by one; urgent groups sync with FULL.
    expect(await pragma('synchronous')).toBe(1);
    // The pool's next transaction starts cleanly (no group left open).
    await store.knex.transaction(async (trx) => trx('notes').insert({ id: 'c', body: 'd' }));
    expect(await store.knex('notes').count({ count: '*' }).first()).toEqual({ count: 2 });
  });

  it('keep a prepared statement per SQL text on the connection (knex prepares each query anew)', async () => {
    const store = await openStore();
    const connection = (await store.knex.client.acquireConnection()) as { prepare(sql: string): unknown };
    try {
      expect(connection.prepare('SELECT id FROM notes WHERE id = ?')).toBe(connection.prepare('SELECT id FROM notes WHERE id = ?'));
      expect(connection.prepare('SELECT body FROM notes')).not.toBe(connection.prepare('SELECT id FROM notes WHERE id = ?'));
    } finally {
      await store.knex.client.releaseConnection(connection);
    }
    // A cached statement sees rows written after it was prepared, and the schema changes after it too.
    await store.knex('notes').insert({ id: 'n1', body: 'one' });
    expect(await store.knex('notes').where({ id: 'n1' }).first()).toEqual({ id: 'n1', body: 'one' });
    await store.knex.schema.alterTable('notes', (table) => table.string('tag'));
    await store.knex('notes').insert({ id: 'n2', body: 'two', tag: 't' });
    expect(await store.knex('notes').where({ id: 'n2' }).first()).toEqual({ id: 'n2', body: 'two', tag: 't' });
  });

  it('reject, not hang, once the store is closed', async () => {
    const store = await openStore();
    open.splice(open.indexOf(store), 1);
    await store.close();
    await expect(store.urgent.run(store.knex('notes').insert({ id: 'late', body: 'x' }))).rejects.toThrow();
  });
});

describe('the WAL sync behind urgent writes', () => {
  it('syncs a real file once per turn of the event loop, for every write of the turn', async () => {
    const dir = await tempDir();
    const path = join(dir, 'file-wal');
    await writeFile(path, 'frames');
    const sync = new WalFileSync(path);
    const first = sync.sync();
    const second = sync.sync();
    // Asked for in the same turn: one sync at its end serves both.
    expect(second).toBe(first);
    await first;
    // A later turn gets a sync of its own (it may follow a commit the first one missed).
    const later = sync.sync();
    expect(later).not.toBe(first);
    await later;
    sync.close();
  });

  it('fails while the file is missing (the write is then not acknowledged), and recovers once it exists', async () => {
    const path = join(await tempDir(), 'later-wal');
    const sync = new WalFileSync(path);
    await expect(sync.sync()).rejects.toThrow(/ENOENT/);
    await writeFile(path, 'frames');
    await expect(sync.sync()).resolves.toBeUndefined();
    sync.close();
  });
});
