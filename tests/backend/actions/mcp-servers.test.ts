import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { topics } from '#protocol';
import { reply } from '../../support/scripted-openai-server';
import { startAgentFixture, type AgentFixture } from '../agent/agent-fixture';
import { toolResultsOf } from './actions-fixture';
import { startHttpMcpServer, startSseOnlyMcpServer } from './mcp-http-server';

const STDIO_MAIN = fileURLToPath(new URL('./mcp-stdio-main.mjs', import.meta.url));
const FIXTURE_TOKEN = 'mcp-env-secret-5e6f7a8b';

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value).slice(0, 800)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('MCP servers', () => {
  let fixture: AgentFixture;
  let scratch: string;
  beforeEach(async () => {
    fixture = await startAgentFixture();
    scratch = await mkdtemp(join(tmpdir(), 'parley-mcp-'));
  });
  afterEach(async () => {
    await fixture.close();
    await rm(scratch, { recursive: true, force: true });
  });

  const server = async (name: string) => (await fixture.backend.call('actions.list', {})).mcpServers.find((entry) => entry.name === name);
  const agentTools = async () => (await fixture.backend.call('agent.tools.list', {})).tools.map((tool) => tool.name);

  it('over stdio: lists the tools, the model calls one, a killed server leaves and comes back, list_changed adds a tool', async () => {
    const pidFile = join(scratch, 'pid');
    const { server: added } = await fixture.backend.call('actions.mcp.add', {
      name: 'orders',
      config: { command: process.execPath, args: [STDIO_MAIN], env: { MCP_PID_FILE: pidFile, FIXTURE_TOKEN } },
    });
    expect(added).toMatchObject({ name: 'orders', transport: 'stdio', state: 'ready', tools: ['orders__lookup_order', 'orders__add_note', 'orders__enable_extra'] });
    expect(added.stderrTail.join('\n')).toContain('starting (token set)');
    const listed = await fixture.backend.call('actions.list', {});
    expect(listed.tools.filter((tool) => tool.kind === 'mcp').map((tool) => [tool.name, tool.confirm])).toEqual([
      ['orders__lookup_order', false],
      ['orders__add_note', true],
      ['orders__enable_extra', false],
    ]);
    expect(JSON.stringify(listed)).not.toContain(FIXTURE_TOKEN);

    fixture.llm.enqueue(reply.toolCall('orders__lookup_order', { orderId: 'A-1' }, { id: 'o1' }), reply.text('A-1 shipped on 30 November.'));
    expect((await fixture.send('Where is A-1?')).content).toBe('A-1 shipped on 30 November.');
    expect(toolResultsOf(fixture.llm.chatRequests[1])[0]).toMatchObject({ ok: true, data: 'Order A-1: shipped on 2026-11-30 (stdio)' });

    // Killed: its tools leave the registry, then it is started again and they return.
    const pid = Number(await readFile(pidFile, 'utf8'));
    process.kill(pid, 'SIGKILL');
    const down = await until(() => server('orders'), (entry) => entry?.state === 'failed', 'the server to be seen down');
    expect(down!.tools).toEqual([]);
    expect(await agentTools()).not.toContain('orders__lookup_order');
    const back = await until(() => server('orders'), (entry) => entry?.state === 'ready', 'the restart');
    expect(back).toMatchObject({ restarts: 1, tools: ['orders__lookup_order', 'orders__add_note', 'orders__enable_extra'] });
    expect(Number(await readFile(pidFile, 'utf8'))).not.toBe(pid);
    expect(await agentTools()).toContain('orders__lookup_order');

    // tools/list_changed: a tool added at run time appears.
    fixture.llm.enqueue(reply.toolCall('orders__enable_extra', {}, { id: 'e1' }), reply.text('Enabled.'));
    await fixture.send('Enable the extra tool');
    await until(() => agentTools(), (names) => names.includes('orders__extra_tool'), 'the extra tool');

    // Removed: gone from the registry and from the list; the process is stopped.
    expect(await fixture.backend.call('actions.mcp.remove', { name: 'orders' })).toEqual({ removed: true });
    expect((await agentTools()).filter((name) => name.startsWith('orders__'))).toEqual([]);
    expect(await server('orders')).toBeUndefined();
  });

  it('over Streamable HTTP, with its header sealed: tools listed and called; an MCP tool without readOnlyHint waits for approval', async () => {
    const httpServer = await startHttpMcpServer({ name: 'x-api-key', value: FIXTURE_TOKEN });
    try {
      const { server: added } = await fixture.backend.call('actions.mcp.add', { name: 'remote', config: { url: httpServer.url, headers: { 'x-api-key': FIXTURE_TOKEN } } });
      expect(added).toMatchObject({ transport: 'http', state: 'ready', tools: ['remote__lookup_order', 'remote__add_note', 'remote__enable_extra'] });

      const socket = await fixture.openSocket();
      await socket.call('events.subscribe', { topics: [topics.actions, topics.confirmations] });
      fixture.llm.enqueue(
        reply.toolCalls([
          { name: 'remote__lookup_order', arguments: { orderId: 'B-2' }, id: 'h1' },
          { name: 'remote__add_note', arguments: { text: 'call back' }, id: 'h2' },
        ]),
        reply.text('B-2 shipped; note stored.'),
      );
      const turn = socket.call('agent.send', { conversationId: fixture.conversationId, text: 'B-2? and note it', turnId: 'http-turn' });
      const asked = await socket.waitForEvent('confirmation.requested');
      expect(asked).toMatchObject({ tool: 'remote__add_note', arguments: { text: 'call back' } });
      await fixture.backend.call('confirmations.decide', { id: asked.id, approve: true });
      expect((await turn).message.content).toBe('B-2 shipped; note stored.');
      expect(toolResultsOf(fixture.llm.chatRequests[1])).toMatchObject([
        { ok: true, data: 'Order B-2: shipped on 2026-11-30 (http)' },
        { ok: true, data: 'stored note 1' },
      ]);
      const { entries } = await fixture.backend.call('actions.audit', {});
      expect(entries.map((entry) => [entry.tool, entry.status]).sort()).toEqual([
        ['remote__add_note', 'ok'],
        ['remote__lookup_order', 'ok'],
      ]);
    } finally {
      await httpServer.close();
    }
  });

  it('falls back to the older HTTP+SSE transport when the server does not speak Streamable HTTP', async () => {
    const sseServer = await startSseOnlyMcpServer();
    try {
      const { server: added } = await fixture.backend.call('actions.mcp.add', { name: 'legacy', config: { url: sseServer.url } });
      expect(added).toMatchObject({ transport: 'sse', state: 'ready', tools: ['legacy__lookup_order', 'legacy__add_note', 'legacy__enable_extra'] });
      fixture.llm.enqueue(reply.toolCall('legacy__lookup_order', { orderId: 'C-3' }, { id: 's1' }), reply.text('C-3 shipped.'));
      expect((await fixture.send('C-3?')).content).toBe('C-3 shipped.');
      expect(toolResultsOf(fixture.llm.chatRequests[1])[0]).toMatchObject({ ok: true, data: 'Order C-3: shipped on 2026-11-30 (sse)' });
      await fixture.backend.call('actions.mcp.remove', { name: 'legacy' });
    } finally {
      await sseServer.close();
    }
  });

  it('shows a server that cannot start as failed, with its stderr tail, and retries it', async () => {
    const { server: added } = await fixture.backend.call('actions.mcp.add', {
      name: 'broken',
      config: { command: process.execPath, args: ['-e', 'console.error("cannot open database: /no/such/file"); process.exit(3)'] },
    });
    expect(added.state).toBe('failed');
    expect(added.stderrTail).toContain('cannot open database: /no/such/file');
    expect(added.error).toBeTruthy();
    expect(added.nextRestartAt).toBeGreaterThan(Date.now() - 1000);
    const retried = await until(() => server('broken'), (entry) => (entry?.restarts ?? 0) >= 1, 'a retry');
    expect(retried!.state).not.toBe('ready');
    const duplicate = fixture.backend.call('actions.mcp.add', { name: 'broken', config: { command: 'true', args: [] } });
    await expect(duplicate).rejects.toMatchObject({ code: 'conflict' });
  });
});
