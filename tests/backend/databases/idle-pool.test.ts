import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeShopDatabase } from '../../../backend/databases';
import { OpenDatabase } from '../../../backend/databases/connections/open-database';

describe('a connection holds nothing until used, and lets go when idle', () => {
  let dir: string;
  let filename: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'parley-idle-'));
    filename = join(dir, 'shop.sqlite3');
    writeShopDatabase(filename);
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('opens on the first query and introspection, closes after the idle time, and opens again on demand', async () => {
    const database = new OpenDatabase({ dialect: 'sqlite', filename }, async () => undefined, pino({ level: 'silent' }), 300);
    expect(database.isOpen).toBe(false);
    const page = await database.run({ sql: 'SELECT count(*) FROM customers', maxRows: 10, timeoutMs: 5_000 });
    expect(page.rows).toEqual([[400]]);
    await database.withKnex(async (knex) => knex.raw('SELECT 1'));
    expect(database.isOpen).toBe(true);
    await expect.poll(() => database.isOpen, { timeout: 3_000, interval: 50 }).toBe(false);
    expect((await database.run({ sql: 'SELECT count(*) FROM products', maxRows: 10, timeoutMs: 5_000 })).rows).toEqual([[20]]);
    await database.close();
    expect(database.isOpen).toBe(false);
  });
});
