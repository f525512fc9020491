// The MCP server the tests talk to, written with the SDK: a read-only lookup, a tool that changes
// things (no readOnlyHint), and one that adds a tool at run time (tools/list_changed). Plain
// JavaScript so a stdio child starts with bare `node`.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';

export function createFixtureMcpServer({ label = 'fixture' } = {}) {
  const server = new McpServer({ name: `parley-test-${label}`, version: '1.0.0' });
  const notes = [];
  server.registerTool(
    'lookup_order',
    { description: 'Find an order by id', inputSchema: { orderId: z.string().regex(/^[A-Z]-\d+$/) }, annotations: { readOnlyHint: true } },
    async ({ orderId }) => ({ content: [{ type: 'text', text: `Order ${orderId}: shipped on 2026-11-30 (${label})` }] }),
  );
  server.registerTool('add_note', { description: 'Store a note', inputSchema: { text: z.string() } }, async ({ text }) => {
    notes.push(text);
    return { content: [{ type: 'text', text: `stored note ${notes.length}` }] };
  });
  server.registerTool('enable_extra', { description: 'Adds the extra tool', inputSchema: {}, annotations: { readOnlyHint: true } }, async () => {
    // Registering after connect makes the SDK send notifications/tools/list_changed.
    server.registerTool('extra_tool', { description: 'Appeared at run time', inputSchema: {}, annotations: { readOnlyHint: true } }, async () => ({
      content: [{ type: 'text', text: 'extra says hello' }],
    }));
    return { content: [{ type: 'text', text: 'extra tool enabled' }] };
  });
  return { server, notes };
}
