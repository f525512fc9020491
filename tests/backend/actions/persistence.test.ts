import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startBookingServer, type BookingServer } from '../../../resources/actions/demo-booking/booking-server.mjs';
import { startTestBackend, type TestBackend } from '../../support/backend-harness';

const STDIO_MAIN = fileURLToPath(new URL('./mcp-stdio-main.mjs', import.meta.url));
const TOKEN = 'garage-token-persist-77aa';

describe('actions across restarts and from PARLEY_MCP_CONFIG', () => {
  let dataDir: string;
  let garage: BookingServer;
  let backend: TestBackend | undefined;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'parley-actions-'));
    garage = await startBookingServer({ apiKey: TOKEN });
  });
  afterEach(async () => {
    await backend?.close();
    await garage.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps imported tools, their sealed token, policies and MCP servers after a restart', async () => {
    backend = await startTestBackend({ dataDir });
    await backend.call('actions.importOpenApi', { url: `${garage.url}/openapi.json`, auth: { kind: 'bearer', token: TOKEN }, operations: ['listServices', 'createBooking'] });
    await backend.call('actions.setPolicy', { tool: 'createBooking', channels: ['console', 'whatsapp'], confirm: true });
    await backend.call('actions.mcp.add', { name: 'orders', config: { command: process.execPath, args: [STDIO_MAIN], env: { FIXTURE_TOKEN: 'env-secret-1234' } } });
    await backend.close();

    backend = await startTestBackend({ dataDir });
    const listed = await backend.call('actions.list', {});
    expect(listed.tools.filter((tool) => tool.kind === 'http').map((tool) => [tool.name, tool.channels, tool.confirm])).toEqual([
      ['listServices', ['console', 'api'], false],
      ['createBooking', ['console', 'whatsapp'], true],
    ]);
    // The stored row has no token; the vault does, and the call still carries it.
    const tool = backend.backend.tools.find('listServices', 'console')!;
    const output = await tool.call({}, { channel: 'console', conversationId: undefined, signal: new AbortController().signal });
    expect(output.data).toHaveLength(3);
    expect(garage.requests.at(-1)!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    const rows = JSON.stringify(await backend.backend.store.knex('actions_http_sources').select());
    expect(rows).not.toContain(TOKEN);
    expect(JSON.stringify(await backend.backend.store.knex('actions_mcp_servers').select())).not.toContain('env-secret-1234');

    // The MCP server starts in the background after a restart.
    const deadline = Date.now() + 15_000;
    let server;
    do {
      server = (await backend.call('actions.list', {})).mcpServers.find((entry) => entry.name === 'orders');
      if (server?.state === 'ready') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    } while (Date.now() < deadline);
    expect(server).toMatchObject({ state: 'ready', origin: 'user', tools: ['orders__lookup_order', 'orders__add_note', 'orders__enable_extra'] });
    expect(server!.stderrTail.join()).toContain('(token set)');
  });

  it('in server mode, starts the servers of PARLEY_MCP_CONFIG, and refuses to remove them through the API', async () => {
    const configPath = join(dataDir, 'mcp.json');
    await writeFile(configPath, JSON.stringify({ mcpServers: { fromfile: { command: process.execPath, args: [STDIO_MAIN] } } }));
    backend = await startTestBackend({ dataDir, environment: { ...process.env, PARLEY_MCP_CONFIG: configPath } });
    const deadline = Date.now() + 15_000;
    let server;
    do {
      server = (await backend.call('actions.list', {})).mcpServers.find((entry) => entry.name === 'fromfile');
      if (server?.state === 'ready') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    } while (Date.now() < deadline);
    expect(server).toMatchObject({ state: 'ready', origin: 'config', transport: 'stdio' });
    await expect(backend.call('actions.mcp.remove', { name: 'fromfile' })).rejects.toMatchObject({ code: 'forbidden', message: expect.stringContaining('PARLEY_MCP_CONFIG') as unknown });
  });
});
