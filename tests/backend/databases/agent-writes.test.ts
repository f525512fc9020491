import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ParleyError, topics } from '#protocol';
import { PARLEY_AGENT_MODEL } from '../../../backend/agent';
import { reply } from '../../support/scripted-openai-server';
import { stageCounts } from '../../support/stage-metrics';
import { startAgentFixture, type AgentFixture } from '../agent/agent-fixture';

const WRITE_TOOL = 'db_demo_shop_write';
const RAISE_PRICE = 'UPDATE products SET unit_price = 9.99 WHERE id = 1';

function toolResults(fixture: AgentFixture, requestIndex: number): Array<{ ok: boolean; error?: string; data?: Record<string, unknown> }> {
  const messages = (fixture.llm.chatRequests[requestIndex]?.body?.messages ?? []) as Array<{ role: string; content?: unknown }>;
  return messages.filter((message) => message.role === 'tool').map((message) => JSON.parse(String(message.content)) as { ok: boolean; error?: string; data?: Record<string, unknown> });
}

async function toolNames(fixture: AgentFixture): Promise<string[]> {
  return (await fixture.backend.call('agent.tools.list', {})).tools.map((tool) => tool.name);
}

describe('writes on a connection that allows them, each approved by the operator', () => {
  let fixture: AgentFixture;
  let demoFile: string;
  const price = (id = 1) => new Database(demoFile, { readonly: true }).prepare('SELECT unit_price FROM products WHERE id = ?').pluck().get(id) as number;
  const allowWrites = async (allow: boolean) => fixture.backend.call('databases.save', { name: 'demo_shop', dialect: 'sqlite', filename: demoFile, allowWrites: allow });

  beforeEach(async () => {
    fixture = await startAgentFixture();
    demoFile = `${fixture.backend.dataDir}/databases/shop-demo.sqlite3`;
  });
  afterEach(async () => fixture.close());

  it('is off by default: no write tool; allowing writes adds it, taking them back removes it', async () => {
    const demo = (await fixture.backend.call('databases.list', {})).connections.find((connection) => connection.name === 'demo_shop');
    expect(demo?.allowWrites ?? false).toBe(false);
    expect(await toolNames(fixture)).not.toContain(WRITE_TOOL);
    const { connection } = await allowWrites(true);
    expect(connection).toMatchObject({ name: 'demo_shop', source: 'demo', allowWrites: true });
    expect(await toolNames(fixture)).toContain(WRITE_TOOL);
    // Never offered to WhatsApp contacts.
    expect(fixture.backend.backend.tools.forChannel('whatsapp').map((tool) => tool.name)).not.toContain(WRITE_TOOL);
    await allowWrites(false);
    expect(await toolNames(fixture)).not.toContain(WRITE_TOOL);
  });

  it('on the console: the card shows the statement; approved, it runs once in a transaction and the model gets the affected rows', async () => {
    await allowWrites(true);
    const sqlBefore = (await stageCounts(fixture.backend)).sql ?? 0;
    const socket = await fixture.openSocket();
    await socket.call('events.subscribe', { topics: [topics.confirmations] });
    fixture.llm.enqueue(reply.toolCall(WRITE_TOOL, { sql: RAISE_PRICE }, { id: 'raise' }), reply.text('The espresso beans now cost 9.99.'));
    const turn = socket.call('agent.send', { conversationId: fixture.conversationId, text: 'Set the price of product 1 to 9.99', turnId: 'write' });

    const asked = await socket.waitForEvent('confirmation.requested');
    expect(asked).toMatchObject({
      source: 'databases',
      tool: WRITE_TOOL,
      summary: `UPDATE on demo_shop: ${RAISE_PRICE}`,
      arguments: { connection: 'demo_shop', sql: RAISE_PRICE },
      channel: 'console',
      conversationId: fixture.conversationId,
    });
    expect(price()).not.toBe(9.99);

    await fixture.backend.call('confirmations.decide', { id: asked.id, approve: true });
    expect((await turn).message.content).toBe('The espresso beans now cost 9.99.');
    expect(price()).toBe(9.99);
    expect(toolResults(fixture, 1)[0]).toMatchObject({ ok: true, data: { connection: 'demo_shop', statement: 'UPDATE', affectedRows: 1, committed: true } });
    const { entries } = await fixture.backend.call('databases.history', { connection: 'demo_shop' });
    expect(entries[0]).toMatchObject({ kind: 'write', channel: 'console', who: fixture.conversationId, sql: RAISE_PRICE, rowCount: 1, error: null });
    expect((await stageCounts(fixture.backend)).sql).toBe(sqlBefore + 1);
  });

  it('on the console: rejected, nothing changes and the model is told', async () => {
    await allowWrites(true);
    const socket = await fixture.openSocket();
    await socket.call('events.subscribe', { topics: [topics.confirmations] });
    fixture.llm.enqueue(reply.toolCall(WRITE_TOOL, { sql: 'DELETE FROM order_lines' }, { id: 'wipe' }), reply.text('Understood, nothing was deleted.'));
    const turn = socket.call('agent.send', { conversationId: fixture.conversationId, text: 'Delete the order lines', turnId: 'reject' });
    const asked = await socket.waitForEvent('confirmation.requested');
    expect(asked.summary).toBe('DELETE on demo_shop: DELETE FROM order_lines (no WHERE: every row of the table)');
    await fixture.backend.call('confirmations.decide', { id: asked.id, approve: false });
    expect((await turn).message.content).toBe('Understood, nothing was deleted.');
    expect(toolResults(fixture, 1)[0]).toMatchObject({ ok: false, error: expect.stringContaining('The operator rejected the write; nothing was changed') as unknown });
    expect((await fixture.backend.call('databases.query', { connection: 'demo_shop', sql: 'SELECT count(*) FROM order_lines' })).rows).toEqual([[6216]]);
    const { entries } = await fixture.backend.call('databases.history', { connection: 'demo_shop', search: 'DELETE FROM order_lines' });
    expect(entries[0]).toMatchObject({ kind: 'write', rowCount: null, error: expect.stringMatching(/^forbidden: The operator rejected/) as unknown });
  });

  it('a stopped turn withdraws the card, and nothing is written', async () => {
    await allowWrites(true);
    const socket = await fixture.openSocket();
    await socket.call('events.subscribe', { topics: [topics.confirmations] });
    fixture.llm.enqueue(reply.toolCall(WRITE_TOOL, { sql: RAISE_PRICE }, { id: 'stopped' }));
    const id = socket.nextId();
    const response = socket.waitForResponse(id);
    socket.send({ kind: 'request', id, method: 'agent.send', params: { conversationId: fixture.conversationId, text: 'Raise it', turnId: 'stop' } });
    const asked = await socket.waitForEvent('confirmation.requested');
    socket.cancel(id);
    expect(await response).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(await socket.waitForEvent('confirmation.resolved')).toMatchObject({ id: asked.id, outcome: 'cancelled' });
    expect(price()).not.toBe(9.99);
  });

  it('still refuses DDL, stacked statements and side-effect functions, without asking anyone', async () => {
    await allowWrites(true);
    const socket = await fixture.openSocket();
    await socket.call('events.subscribe', { topics: [topics.confirmations] });
    fixture.llm.enqueue(
      reply.toolCall(WRITE_TOOL, { sql: 'DROP TABLE order_lines' }, { id: 'drop' }),
      reply.toolCall(WRITE_TOOL, { sql: `${RAISE_PRICE}; DELETE FROM customers` }, { id: 'stacked' }),
      reply.toolCall(WRITE_TOOL, { sql: "UPDATE products SET name = load_extension('/tmp/x.so') WHERE id = 1" }, { id: 'extension' }),
      reply.text('Those changes are not allowed.'),
    );
    await socket.call('agent.send', { conversationId: fixture.conversationId, text: 'Clean up the database', turnId: 'ddl' });
    expect(toolResults(fixture, 3).map((result) => [result.ok, result.error])).toEqual([
      [false, expect.stringMatching(/Refused: only one INSERT, UPDATE or DELETE may run as a write; this one starts with DROP/)],
      [false, expect.stringMatching(/Refused: it contains more than one statement/)],
      [false, expect.stringMatching(/Refused: the function load_extension reaches the network or runs programs/)],
    ]);
    expect(socket.frames.filter((frame) => frame.kind === 'event' && frame.event === 'confirmation.requested')).toEqual([]);
    expect((await fixture.backend.call('databases.query', { connection: 'demo_shop', sql: 'SELECT count(*) FROM order_lines' })).rows).toEqual([[6216]]);
  });

  it('keeps databases.query read-only on a connection that allows writes, and points the query tool at the write tool', async () => {
    await allowWrites(true);
    const refusal = await fixture.backend.call('databases.query', { connection: 'demo_shop', sql: RAISE_PRICE }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ParleyError);
    expect(refusal).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/only SELECT statements/) as unknown });
    fixture.llm.enqueue(reply.toolCall('db_demo_shop_query', { sql: RAISE_PRICE }, { id: 'wrong-tool' }), reply.text('I will ask for approval instead.'));
    await fixture.send('Raise the price');
    expect(toolResults(fixture, 1)[0]?.error).toMatch(/This tool only reads; this connection allows writes through db_demo_shop_write/);
    expect(price()).not.toBe(9.99);
  });

  it('on the API channel: forbidden, nobody there to ask', async () => {
    await allowWrites(true);
    fixture.llm.enqueue(reply.toolCall(WRITE_TOOL, { sql: RAISE_PRICE }, { id: 'api-write' }), reply.text('I cannot change prices from here.'));
    const response = await fixture.backend.fetch('/v1/chat/completions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: PARLEY_AGENT_MODEL, messages: [{ role: 'user', content: 'Raise the price of product 1' }] }),
    });
    expect(response.status, await response.clone().text()).toBe(200);
    expect(toolResults(fixture, 1)[0]).toMatchObject({ ok: false, error: expect.stringMatching(/needs the operator's approval, and the api channel has nobody to ask/) as unknown });
    expect((await fixture.backend.call('confirmations.pending', {})).confirmations).toEqual([]);
    expect(price()).not.toBe(9.99);
    const { entries } = await fixture.backend.call('databases.history', { connection: 'demo_shop' });
    expect(entries[0]).toMatchObject({ kind: 'write', channel: 'api', error: expect.stringMatching(/^forbidden:/) as unknown });
  });

  it('for a WhatsApp contact: forbidden, whatever could confirm it', async () => {
    await allowWrites(true);
    const tool = fixture.backend.backend.tools.all().find((candidate) => candidate.name === WRITE_TOOL)!;
    const attempt = tool.call({ sql: RAISE_PRICE }, { channel: 'whatsapp', conversationId: 'wa-contact', signal: new AbortController().signal });
    await expect(attempt).rejects.toMatchObject({ code: 'forbidden', message: expect.stringMatching(/WhatsApp contacts never get writes/) as unknown });
    expect((await fixture.backend.call('confirmations.pending', {})).confirmations).toEqual([]);
    expect(price()).not.toBe(9.99);
  });
});
