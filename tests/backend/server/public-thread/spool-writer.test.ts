import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WEBHOOK_SPOOL_TABLE, webhookSpoolMigrations } from '../../../../backend/server';
import { SqliteSpoolWriter } from '../../../../backend/server/public-thread/spool-writer';
import { APP_DATABASE_FILE, openAppStore, type AppStore } from '../../../../backend/store';
import { useTempDirs } from '../../store/temp-dir';

const tempDir = useTempDirs();
const open: AppStore[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((store) => store.close()));
});

/** The app store with its spool table, and the thread's writer on the same file. */
async function storeAndWriter(): Promise<{ store: AppStore; writer: SqliteSpoolWriter }> {
  const dataDir = await tempDir();
  const store = await openAppStore({ dataDir, secretKey: undefined, migrations: webhookSpoolMigrations });
  open.push(store);
  return { store, writer: new SqliteSpoolWriter(join(dataDir, APP_DATABASE_FILE)) };
}

const spooled = async (store: AppStore) => (await store.knex(WEBHOOK_SPOOL_TABLE).select('path', 'body', 'received_at').orderBy('id')) as Array<{ path: string; body: Buffer; received_at: number }>;

describe('the spool writer of the public listener’s thread', () => {
  it('stores every delivery in the order it was appended, whether they come together or one by one', async () => {
    const { store, writer } = await storeAndWriter();
    const appended: Array<Promise<void>> = [];
    for (let turn = 0; turn < 20; turn++) {
      // Ten in one turn of the event loop (one commit), then the next turn.
      for (let index = 0; index < 10; index++) appended.push(writer.append('/hook', Buffer.from(`delivery ${turn * 10 + index}`), 1_000 + turn * 10 + index));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(appended);
    const rows = await spooled(store);
    expect(rows.map((row) => row.body.toString())).toEqual(Array.from({ length: 200 }, (_, index) => `delivery ${index}`));
    expect(rows.map((row) => Number(row.received_at))).toEqual(Array.from({ length: 200 }, (_, index) => 1_000 + index));
    await writer.close();
  });

  it('on close, stores and syncs what was appended but not yet committed before it lets go', async () => {
    const { store, writer } = await storeAndWriter();
    const appended = [writer.append('/hook', Buffer.from('last words'), 5), writer.append('/hook', Buffer.from('and these'), 6)];
    await writer.close();
    await expect(Promise.all(appended)).resolves.toEqual([undefined, undefined]);
    expect((await spooled(store)).map((row) => row.body.toString())).toEqual(['last words', 'and these']);
  });

  it('refuses a delivery it cannot store, so it is answered 503 and delivered again', async () => {
    const { store, writer } = await storeAndWriter();
    await store.knex.schema.dropTable(WEBHOOK_SPOOL_TABLE);
    await expect(writer.append('/hook', Buffer.from('nowhere to go'), 7)).rejects.toThrow(/no such table/);
    await writer.close();
  });
});
