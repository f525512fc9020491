import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '#protocol';
import { reply } from '../../support/scripted-openai-server';
import { startAgentFixture, type AgentFixture } from '../agent/agent-fixture';
import { createScratchDatabase, mariadbServer, postgresServer, shouldSkip, type ScratchDatabase, type TestServer } from './database-servers';
import { createShopFixture } from './shop-fixture';

/** Reads the guard lets through that run for minutes on these servers: only cancelling stops them early. */
const ENDLESS_READ = {
  postgres: 'SELECT count(*) AS n FROM generate_series(1, 100000) AS a CROSS JOIN generate_series(1, 100000) AS b',
  mysql: 'SELECT count(*) AS n FROM numbers a CROSS JOIN numbers b CROSS JOIN numbers c',
};

describe.each([
  { server: postgresServer, kind: 'postgres' as const },
  { server: mariadbServer, kind: 'mysql' as const },
])('$kind: the agent’s approved write and its stopped query, on the real server', ({ server, kind }: { server: TestServer; kind: 'postgres' | 'mysql' }) => {
  const skip = shouldSkip(server);
  const connection = `${kind}_shop`;
  let scratch: ScratchDatabase;
  let fixture: AgentFixture;

  /** What Parley's connections are running in the scratch database now (PostgreSQL: any statement; MariaDB: the cross join). */
  const running = async (): Promise<string[]> => {
    if (kind === 'postgres') {
      const result = await scratch.knex.raw("SELECT query FROM pg_stat_activity WHERE datname = ? AND application_name = 'parley' AND state = 'active'", [scratch.name]);
      return (result.rows as Array<{ query: string }>).map((row) => row.query);
    }
    const [rows] = (await scratch.knex.raw("SELECT INFO AS info FROM information_schema.PROCESSLIST WHERE DB = ? AND COMMAND = 'Query' AND INFO LIKE '%CROSS JOIN%' AND ID <> CONNECTION_ID()", [scratch.name])) as [Array<{ info: string }>];
    return rows.map((row) => row.info).filter((info) => !info.includes('PROCESSLIST'));
  };

  beforeAll(async () => {
    if (skip) return;
    scratch = await createScratchDatabase(kind);
    await createShopFixture(scratch.knex, kind);
    fixture = await startAgentFixture();
    await fixture.backend.call('databases.save', { name: connection, dialect: kind, host: '127.0.0.1', user: kind === 'postgres' ? 'postgres' : 'root', database: scratch.name, allowWrites: true });
  }, 60_000);

  afterAll(async () => {
    await fixture?.close();
    await scratch?.drop();
  }, 30_000);

  it.skipIf(skip)('an approved UPDATE changes the row on the server and reports the affected rows', async () => {
    const socket = await fixture.openSocket();
    await socket.call('events.subscribe', { topics: [topics.confirmations] });
    const sql = "UPDATE customers SET city = 'Vienna' WHERE name = 'Ben'";
    fixture.llm.enqueue(reply.toolCall(`db_${connection}_write`, { sql }, { id: 'move' }), reply.text('Ben now lives in Vienna.'));
    const turn = socket.call('agent.send', { conversationId: fixture.conversationId, text: 'Ben moved to Vienna', turnId: `write-${kind}` });
    const asked = await socket.waitForEvent('confirmation.requested');
    expect(asked.summary).toBe(`UPDATE on ${connection}: ${sql}`);
    expect(await scratch.knex('customers').where({ name: 'Ben' }).first()).toMatchObject({ city: 'Berlin' });
    await fixture.backend.call('confirmations.decide', { id: asked.id, approve: true });
    expect((await turn).message.content).toBe('Ben now lives in Vienna.');
    expect(await scratch.knex('customers').where({ name: 'Ben' }).first()).toMatchObject({ city: 'Vienna' });
    const { entries } = await fixture.backend.call('databases.history', { connection });
    expect(entries[0]).toMatchObject({ kind: 'write', sql, rowCount: 1, error: null });
  });

  it.skipIf(skip)('a stopped turn cancels its running query on the server', async () => {
    const socket = await fixture.openSocket();
    fixture.llm.enqueue(reply.toolCall(`db_${connection}_query`, { sql: ENDLESS_READ[kind] }, { id: 'endless' }));
    const id = socket.nextId();
    const response = socket.waitForResponse(id, 20_000);
    socket.send({ kind: 'request', id, method: 'agent.send', params: { conversationId: fixture.conversationId, text: 'Count everything', turnId: `stop-${kind}` } });
    // The heavy part is running: on PostgreSQL the cursor's FETCH (DECLARE only plans it).
    await expect.poll(async () => (await running()).filter((query) => kind === 'mysql' || query.startsWith('FETCH')), { timeout: 10_000 }).toHaveLength(1);
    socket.cancel(id);
    expect(await response).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    await expect.poll(running, { timeout: 3_000, interval: 100 }).toEqual([]);
    await expect
      .poll(async () => (await fixture.backend.call('databases.history', { connection, search: 'CROSS JOIN' })).entries[0]?.error, { timeout: 3_000 })
      .toMatch(/^cancelled: The query was stopped/);
    // The connection answers the next question at once.
    expect((await fixture.backend.call('databases.query', { connection, sql: 'SELECT count(*) AS n FROM customers' })).rows.map((row) => Number(row[0]))).toEqual([3]);
  }, 30_000);
});
