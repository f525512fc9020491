import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { startBookingServer } from '../../resources/actions/demo-booking/booking-server.mjs';
import { startTestBackend } from '../support/backend-harness';
import { percentile, type BenchRow } from './bench-table';

const CALLS = 300;
const WARMUP = 20;
const BLOCK = 50;
const MCP_SERVER = fileURLToPath(new URL('../backend/actions/mcp-stdio-main.mjs', import.meta.url));

/**
 * What an action tool adds to the call it makes: argument validation, the channel policy, the
 * audit row in the store and the log line, around the same HTTP request (the demo booking API's
 * free slots) or the same MCP stdio tool call. Baselines: a bare `fetch` of the same URL and a bare
 * SDK client calling the same tool of the same server, alternated with the tool calls.
 */
export async function benchActionToolOverhead(): Promise<BenchRow[]> {
  const garage = await startBookingServer();
  const backend = await startTestBackend();
  const sdk = new Client({ name: 'bench', version: '1' });
  try {
    await backend.call('actions.importOpenApi', { url: `${garage.url}/openapi.json`, operations: ['listFreeSlots'] });
    await backend.call('actions.mcp.add', { name: 'bench', config: { command: process.execPath, args: [MCP_SERVER] } });
    await sdk.connect(new StdioClientTransport({ command: process.execPath, args: [MCP_SERVER], stderr: 'ignore' }));
    const httpTool = backend.backend.tools.find('listFreeSlots', 'console')!;
    const mcpTool = backend.backend.tools.find('bench__lookup_order', 'console')!;
    const context = { channel: 'console' as const, conversationId: undefined, signal: new AbortController().signal };
    const slotsUrl = `${garage.url}/slots?date=2027-01-05&branch=north`;

    const http = await alternate(
      () => httpTool.call({ date: '2027-01-05', branch: 'north' }, context),
      async () => (await fetch(slotsUrl, { headers: { accept: 'application/json' } })).json(),
    );
    const mcp = await alternate(
      () => mcpTool.call({ orderId: 'A-1' }, context),
      () => sdk.callTool({ name: 'lookup_order', arguments: { orderId: 'A-1' } }),
    );
    return [
      ...rows('HTTP action call', http, 'bare fetch'),
      ...rows('MCP stdio tool call', mcp, 'bare SDK callTool'),
      { name: `HTTP action added p50`, value: percentile(http.tool, 50) - percentile(http.bare, 50), unit: 'ms', goal: '< 5 ms' },
      { name: `MCP stdio tool added p50`, value: percentile(mcp.tool, 50) - percentile(mcp.bare, 50), unit: 'ms', goal: '< 5 ms' },
    ];
  } finally {
    await sdk.close();
    await backend.close();
    await garage.close();
  }
}

/**
 * Tool and baseline calls in alternating blocks, so drift on a noisy machine falls on both alike.
 * Blocks, not single calls: the audit row is written behind each tool call, and within a block
 * its cost lands on the next tool call, where it belongs, rather than on a baseline call.
 */
async function alternate(tool: () => Promise<unknown>, bare: () => Promise<unknown>): Promise<{ tool: number[]; bare: number[] }> {
  const samples = { tool: [] as number[], bare: [] as number[] };
  const block = async (call: () => Promise<unknown>, into: number[], count: number) => {
    for (let index = 0; index < count; index++) {
      const started = performance.now();
      await call();
      into.push(performance.now() - started);
    }
  };
  await block(tool, [], WARMUP);
  await block(bare, [], WARMUP);
  for (let round = 0; round < CALLS / BLOCK; round++) {
    await block(tool, samples.tool, BLOCK);
    await block(bare, samples.bare, BLOCK);
  }
  return samples;
}

function rows(name: string, samples: { tool: number[]; bare: number[] }, baselineName: string): BenchRow[] {
  return (['p50', 'p99'] as const).map((label) => ({
    name: `${name} ${label} (${CALLS} calls)`,
    value: percentile(samples.tool, label === 'p50' ? 50 : 99),
    unit: 'ms',
    baselineName,
    baseline: percentile(samples.bare, label === 'p50' ? 50 : 99),
  }));
}
