import { describe, expect, it } from 'vitest';
import { parseMcpServersJson, parsePairs, splitCommandLine } from '../../../../renderer/src/panels/actions/mcp-servers-json';

describe('pasting an mcpServers JSON', () => {
  it('reads the file Claude Desktop keeps: stdio and HTTP servers, defaults filled', () => {
    const parsed = parseMcpServersJson(
      JSON.stringify({
        mcpServers: {
          files: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/data'] },
          crm: { url: 'https://crm.example.com/mcp', headers: { Authorization: 'Bearer x' } },
        },
      }),
    );
    expect(parsed).toEqual({
      ok: true,
      servers: [
        { name: 'files', config: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/data'], env: {} } },
        { name: 'crm', config: { url: 'https://crm.example.com/mcp', headers: { Authorization: 'Bearer x' } } },
      ],
    });
  });

  it('takes the inner map alone, and says what is wrong otherwise', () => {
    expect(parseMcpServersJson('{"orders": {"command": "node"}}')).toMatchObject({ ok: true, servers: [{ name: 'orders' }] });
    expect(parseMcpServersJson('{"mcpServers": {')).toMatchObject({ ok: false, error: expect.stringContaining('Not JSON') as unknown });
    expect(parseMcpServersJson('{"mcpServers": {"bad name!": {"command": "x"}}}')).toMatchObject({ ok: false });
    expect(parseMcpServersJson('{"mcpServers": {"x": {"args": []}}}')).toMatchObject({ ok: false });
    expect(parseMcpServersJson('{"mcpServers": {}}')).toEqual({ ok: false, error: 'No server in it' });
  });

  it('splits the form fields: env lines, header lines, a quoted command line', () => {
    expect(parsePairs('A=1\n\nTOKEN = x=y\nnoise', '=')).toEqual({ A: '1', TOKEN: 'x=y' });
    expect(parsePairs('Authorization: Bearer abc:def', ':')).toEqual({ Authorization: 'Bearer abc:def' });
    expect(splitCommandLine('node "/path with space/server.js" --port 3')).toEqual(['node', '/path with space/server.js', '--port', '3']);
  });
});
