import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
export function createFixtureMcpServer(options?: { label?: string }): { server: McpServer; notes: string[] };
