import type { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { McpServerConfig } from '#protocol';

export type McpTransportKind = 'stdio' | 'http' | 'sse';

export function transportKind(config: McpServerConfig): McpTransportKind {
  if ('command' in config) return 'stdio';
  return config.type === 'sse' ? 'sse' : 'http';
}

/** The command line or URL, as the console shows it: no env values, no headers. */
export function describeTarget(config: McpServerConfig): string {
  if ('command' in config) return [config.command, ...config.args].join(' ');
  return config.url;
}

/** A stdio transport whose stderr lines go to `onStderr` (the panel shows the last ones when the server fails). */
// The SDK's transports load with the first server, not at start (cold start).
export async function stdioTransport(config: Extract<McpServerConfig, { command: string }>, onStderr: (line: string) => void): Promise<StdioClientTransport> {
  const { StdioClientTransport, getDefaultEnvironment } = await import('@modelcontextprotocol/sdk/client/stdio.js');
  const transport = new StdioClientTransport({
    command: config.command,
    args: config.args,
    // The SDK's safe default set (PATH, HOME...) plus the server's own; not the backend's whole environment.
    env: { ...getDefaultEnvironment(), ...config.env },
    ...(config.cwd ? { cwd: config.cwd } : {}),
    stderr: 'pipe',
  });
  let pending = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) onStderr(line.slice(0, 500));
  });
  return transport;
}

export async function httpTransport(config: Extract<McpServerConfig, { url: string }>, kind: 'http' | 'sse'): Promise<Transport> {
  const requestInit = { headers: config.headers };
  if (kind === 'sse') {
    const { SSEClientTransport } = await import('@modelcontextprotocol/sdk/client/sse.js');
    return new SSEClientTransport(new URL(config.url), { requestInit });
  }
  const { StreamableHTTPClientTransport } = await import('@modelcontextprotocol/sdk/client/streamableHttp.js');
  return new StreamableHTTPClientTransport(new URL(config.url), { requestInit });
}
