import { mcpServersFileSchema, type McpServerConfig } from '#protocol';

export type ParsedServers = { ok: true; servers: Array<{ name: string; config: McpServerConfig }> } | { ok: false; error: string };

/**
 * The `mcpServers` JSON people keep for Claude Desktop, Cursor or VS Code, pasted whole; a bare
 * `{ "<name>": {...} }` map (the inside of it) is taken too.
 */
export function parseMcpServersJson(text: string): ParsedServers {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `Not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  const wrapped = json && typeof json === 'object' && !('mcpServers' in json) ? { mcpServers: json } : json;
  const parsed = mcpServersFileSchema.safeParse(wrapped);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, error: `${issue?.path.join('.') || 'mcpServers'}: ${issue?.message ?? 'not an mcpServers object'}` };
  }
  const servers = Object.entries(parsed.data.mcpServers).map(([name, config]) => ({ name, config }));
  if (!servers.length) return { ok: false, error: 'No server in it' };
  return { ok: true, servers };
}

/** "KEY=value" lines (env) or "Name: value" lines (headers) into a record; blank lines skipped. */
export function parsePairs(text: string, separator: '=' | ':'): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const at = line.indexOf(separator);
    if (at <= 0) continue;
    pairs[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return pairs;
}

/** A command line split on spaces, with "double quoted" parts kept whole. */
export function splitCommandLine(text: string): string[] {
  return [...text.matchAll(/"([^"]*)"|(\S+)/g)].map((match) => match[1] ?? match[2] ?? '');
}
