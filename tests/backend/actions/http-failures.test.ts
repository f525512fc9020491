import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reply } from '../../support/scripted-openai-server';
import { startActionsFixture, toolResultsOf, type ActionsFixture } from './actions-fixture';

const API_KEY = 'sk-live-9f8e7d6c5b4a';
const GARAGE_TOKEN = 'garage-bearer-0a1b2c3d4e';

/** An API that fails in every way an HTTP action must survive. */
async function startFlakyApi(): Promise<{ url: string; seen: Array<{ path: string; query: string }>; close(): Promise<void> }> {
  const seen: Array<{ path: string; query: string }> = [];
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    seen.push({ path: url.pathname, query: url.search });
    if (url.pathname === '/boom') {
      response.writeHead(500, { 'content-type': 'text/html' });
      response.end(`<html><body>Internal error: database pool exhausted ${'x'.repeat(5000)}</body></html>`);
    } else if (url.pathname === '/big') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ rows: 'y'.repeat(10_000) }));
    }
    // /slow never answers.
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const flakyDocument = {
  swagger: '2.0',
  info: { title: 'Flaky', version: '1' },
  paths: {
    '/boom': { get: { operationId: 'boom', responses: { 200: { description: 'ok' } } } },
    '/slow': { get: { operationId: 'slow', responses: { 200: { description: 'ok' } } } },
    '/big': { get: { operationId: 'big', responses: { 200: { description: 'ok' } } } },
  },
};

describe('HTTP action failures and secrets', () => {
  let fixture: ActionsFixture;
  let flaky: Awaited<ReturnType<typeof startFlakyApi>>;
  beforeEach(async () => {
    fixture = await startActionsFixture({ garageApiKey: GARAGE_TOKEN });
    flaky = await startFlakyApi();
  });
  afterEach(async () => {
    await fixture.close();
    await flaky.close();
  });

  it('returns a 500, a timeout and an oversized answer to the model as failed results; the key never shows', async () => {
    await fixture.backend.call('actions.importOpenApi', {
      document: flakyDocument,
      baseUrl: flaky.url,
      auth: { kind: 'apiKey', in: 'query', name: 'api_key', value: API_KEY },
      timeoutMs: 400,
      maxResponseBytes: 2048,
    });
    fixture.llm.enqueue(
      reply.toolCalls([
        { name: 'boom', arguments: {}, id: 'c1' },
        { name: 'slow', arguments: {}, id: 'c2' },
        { name: 'big', arguments: { note: API_KEY }, id: 'c3' },
      ]),
      reply.text('The API is having trouble.'),
    );
    const answer = await fixture.send('Check the API');
    expect(answer.content).toBe('The API is having trouble.');
    // The key went out in the query, as configured.
    expect(flaky.seen.map((request) => request.query)).toEqual([`?api_key=${API_KEY}`, `?api_key=${API_KEY}`]);

    const [boom, slow, big] = toolResultsOf(fixture.llm.chatRequests[1]);
    expect(boom).toMatchObject({ ok: false, error: expect.stringMatching(/^GET \/boom failed with HTTP 500: <html><body>Internal error: database pool exhausted x+/) as unknown });
    expect(boom!.error!.length).toBeLessThan(400);
    expect(slow).toMatchObject({ ok: false, error: 'GET /slow: no answer within 0.4 s' });
    // "note" is not a parameter of big: refused before the request (so only two requests went out).
    expect(big).toMatchObject({ ok: false, error: expect.stringContaining('Invalid arguments for big') as unknown });

    fixture.llm.enqueue(reply.toolCall('big', {}, { id: 'c4' }), reply.text('Too much data.'));
    await fixture.send('And the big one?');
    expect(toolResultsOf(fixture.llm.chatRequests[3]).at(-1)).toMatchObject({ ok: false, error: expect.stringContaining('2048-byte cap') as unknown });

    const { entries } = await fixture.backend.call('actions.audit', {});
    expect(entries.map((entry) => [entry.tool, entry.status, entry.httpStatus])).toEqual(
      expect.arrayContaining([
        ['big', 'failed', null],
        ['big', 'refused', null],
        ['slow', 'failed', null],
        ['boom', 'failed', 500],
      ]),
    );
    expect(entries).toHaveLength(4);
    const refused = entries.find((entry) => entry.status === 'refused')!;
    expect(refused.arguments).toEqual({ note: '***' });
    // The audit, the log and what went back to the model (the model's own arguments aside, which it wrote).
    const everything = JSON.stringify([entries, await fixture.backend.call('diagnostics.recentLogs', { limit: 1000 }), fixture.llm.chatRequests.map(toolResultsOf)]);
    expect(everything).toContain('action call did not succeed');
    expect(everything).not.toContain(API_KEY);
  });

  it('sends the bearer token the operator gave, and keeps it out of the list, the audit and the logs', async () => {
    const { source } = await fixture.backend.call('actions.importOpenApi', {
      url: `${fixture.garage.url}/openapi.json`,
      auth: { kind: 'bearer', token: GARAGE_TOKEN },
      operations: ['listServices'],
    });
    expect(source.auth).toEqual({ kind: 'bearer' });
    fixture.llm.enqueue(reply.toolCall('listServices', {}, { id: 's1' }), reply.text('Oil change, tyre swap, inspection.'));
    await fixture.send(`What services are there? My token is ${GARAGE_TOKEN}`);
    expect(fixture.garage.requests.at(-1)!.headers.authorization).toBe(`Bearer ${GARAGE_TOKEN}`);
    expect(toolResultsOf(fixture.llm.chatRequests[1])[0]).toMatchObject({ ok: true, data: [{ id: 'oil-change' }, { id: 'tyre-swap' }, { id: 'inspection' }] });
    const seen = JSON.stringify([
      await fixture.backend.call('actions.list', {}),
      await fixture.backend.call('actions.audit', {}),
      await fixture.backend.call('diagnostics.recentLogs', { limit: 1000 }),
    ]);
    expect(seen).toContain('listServices');
    expect(seen).not.toContain(GARAGE_TOKEN);
  });
});
