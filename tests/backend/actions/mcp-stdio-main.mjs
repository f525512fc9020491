// Runs the fixture MCP server over stdio. MCP_PID_FILE: where to write the pid (the test kills it).
import { writeFileSync } from 'node:fs';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createFixtureMcpServer } from './mcp-fixture-server.mjs';

if (process.env.MCP_PID_FILE) writeFileSync(process.env.MCP_PID_FILE, String(process.pid));
console.error(`fixture MCP server ${process.pid} starting (token ${process.env.FIXTURE_TOKEN ? 'set' : 'unset'})`);
const { server } = createFixtureMcpServer({ label: 'stdio' });
await server.connect(new StdioServerTransport());
