import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChatCompletionTool } from 'openai/resources/chat/completions';
import { reply } from '../../support/scripted-openai-server';
import { eventsOf, startAgentFixture, type AgentFixture } from '../agent/agent-fixture';

const TOP_SPENDERS = `SELECT c.name, ROUND(SUM(t.total), 2) AS spent
  FROM order_totals t JOIN customers c ON c.id = t.customer_id
  GROUP BY c.id ORDER BY spent DESC LIMIT 3`;

function toolContents(fixture: AgentFixture, requestIndex: number): Array<Record<string, unknown>> {
  const messages = (fixture.llm.chatRequests[requestIndex]?.body?.messages ?? []) as Array<{ role: string; content?: unknown }>;
  return messages.filter((message) => message.role === 'tool').map((message) => JSON.parse(String(message.content)) as Record<string, unknown>);
}

describe('the agent answers from the demo shop database', () => {
  let fixture: AgentFixture;
  beforeEach(async () => {
    fixture = await startAgentFixture();
  });
  afterEach(async () => fixture.close());

  it('offers the demo tools, runs the model’s SQL read-only, and the rows reach the model and the history', async () => {
    fixture.llm.enqueue(
      reply.toolCall('db_demo_shop_describe_tables', { question: 'Which customers spent the most on orders?' }, { id: 'call_schema' }),
      reply.toolCall('db_demo_shop_query', { sql: TOP_SPENDERS }, { id: 'call_query' }),
      reply.text('Your top three customers by spend are listed above.'),
    );
    const socket = await fixture.openSocket();
    const answer = await socket.call('agent.send', { conversationId: fixture.conversationId, text: 'Who are my best customers?', turnId: 'shop' });
    expect(answer.message.content).toBe('Your top three customers by spend are listed above.');
    expect(answer.message.meta?.toolFailures, JSON.stringify(toolContents(fixture, 1))).toEqual([]);

    const offered = (fixture.llm.chatRequests[0]!.body!.tools as ChatCompletionTool[]).map((tool) => tool.type === 'function' && tool.function.name);
    expect(offered).toEqual(expect.arrayContaining(['db_demo_shop_list_tables', 'db_demo_shop_describe_tables', 'db_demo_shop_query']));

    // The schema slice names the tables the question needs, with their keys, and the dialect.
    const [schema] = toolContents(fixture, 1);
    const slice = schema!.data as { dialect: string; tables: Array<{ table: string; foreignKeys?: string[]; sampleValues?: Record<string, string[]> }> };
    expect(slice.dialect).toBe('SQLite');
    expect(slice.tables.map((table) => table.table)).toEqual(expect.arrayContaining(['customers', 'orders']));
    expect(slice.tables.find((table) => table.table === 'orders')!.foreignKeys).toEqual(['(customer_id) → customers(id)']);
    // Low-cardinality text columns come with their values; names and e-mails (hundreds of values) do not.
    expect(slice.tables.find((table) => table.table === 'orders')!.sampleValues).toEqual({ status: ['cancelled', 'delivered', 'paid', 'shipped'] });
    expect(slice.tables.find((table) => table.table === 'customers')!.sampleValues).toMatchObject({ country: expect.arrayContaining(['France', 'Germany']) });
    expect(slice.tables.find((table) => table.table === 'customers')!.sampleValues).not.toHaveProperty('email');

    // The rows the model gets are the database's own.
    const expected = new Database(`${fixture.backend.dataDir}/databases/shop-demo.sqlite3`, { readonly: true }).prepare(TOP_SPENDERS).raw(true).all();
    const query = toolContents(fixture, 2).at(-1)!;
    expect(query).toMatchObject({ ok: true, source: 'database demo_shop', data: { columns: ['name', 'spent'], rows: expected, rowCount: 3, truncated: false } });
    expect(eventsOf(socket, 'agent.turn.toolResult', 'shop').map((event) => event.result.ok)).toEqual([true, true]);

    const { entries } = await fixture.backend.call('databases.history', { connection: 'demo_shop' });
    expect(entries[0]).toMatchObject({ channel: 'console', who: fixture.conversationId, sql: TOP_SPENDERS, rowCount: 3, error: null });
  });

  it('sends a failed query’s error back to the model, which corrects it once', async () => {
    fixture.llm.enqueue(
      reply.toolCall('db_demo_shop_query', { sql: 'SELECT count(*) AS n FROM order' }, { id: 'call_bad' }),
      reply.toolCall('db_demo_shop_query', { sql: 'SELECT count(*) AS n FROM orders' }, { id: 'call_fixed' }),
      reply.text('You have 2500 orders.'),
    );
    await fixture.send('How many orders?');
    const [failed] = toolContents(fixture, 1);
    expect(failed).toMatchObject({ ok: false });
    expect(JSON.stringify(failed)).toMatch(/syntax|parsed/i);
    const fixed = toolContents(fixture, 2).at(-1)!;
    expect(fixed).toMatchObject({ ok: true, data: { rows: [[2500]] } });
  });

  it('refuses a write the model attempts, and tells it why', async () => {
    fixture.llm.enqueue(reply.toolCall('db_demo_shop_query', { sql: 'DELETE FROM orders' }, { id: 'call_delete' }), reply.text('I cannot delete orders.'));
    await fixture.send('Delete all orders');
    const [refused] = toolContents(fixture, 1);
    expect(refused).toMatchObject({ ok: false });
    expect(JSON.stringify(refused)).toMatch(/Refused: only SELECT statements/);
    const count = await fixture.backend.call('databases.query', { connection: 'demo_shop', sql: 'SELECT count(*) FROM orders' });
    expect(count.rows).toEqual([[2500]]);
  });
});
