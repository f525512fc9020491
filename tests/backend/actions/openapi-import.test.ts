import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dump } from 'js-yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reply } from '../../support/scripted-openai-server';
import { startActionsFixture, toolResultsOf, type ActionsFixture } from './actions-fixture';

const demoDocument = async () => JSON.parse(await readFile(new URL('../../../resources/actions/demo-booking/openapi.json', import.meta.url), 'utf8')) as Record<string, unknown>;

/** A document built to hurt: recursive schemas, 5,000 operations, no operationIds, an open-ended body. */
function hostileDocument(): Record<string, unknown> {
  const paths: Record<string, unknown> = {
    '/trees/{treeId}': {
      get: {
        summary: 'Read a tree of nodes',
        parameters: [{ name: 'treeId', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '200': { description: 'The tree', content: { 'application/json': { schema: { $ref: '#/components/schemas/Node' } } } } },
      },
      put: {
        summary: 'Replace a tree',
        parameters: [{ name: 'treeId', in: 'path', required: true, schema: { type: 'string' } }],
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Node' } } } },
        responses: { '204': { description: 'Replaced' } },
      },
    },
    '/notes': {
      post: {
        summary: 'Store a note with any extra labels',
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { type: 'object', required: ['text'], properties: { text: { type: 'string' } }, additionalProperties: { type: 'string' } } } },
        },
        responses: { '201': { description: 'Stored' } },
      },
    },
  };
  for (let index = 0; index < 4_997; index++) {
    paths[`/filler/${index}`] = { get: { operationId: `filler ${index}!`, responses: { '200': { description: 'ok' } } } };
  }
  return {
    openapi: '3.0.3',
    info: { title: 'Hostile', version: '1' },
    servers: [{ url: 'http://127.0.0.1:9/api' }],
    paths,
    components: {
      schemas: {
        Node: { type: 'object', properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#/components/schemas/Node' } } } },
      },
    },
  };
}

describe('OpenAPI import', () => {
  let fixture: ActionsFixture;
  beforeEach(async () => {
    fixture = await startActionsFixture();
  });
  afterEach(async () => fixture.close());

  it('imports the demo booking API by URL: one tool per operation, changes need approval, reads do not', async () => {
    const { source, tools } = await fixture.backend.call('actions.importOpenApi', { url: `${fixture.garage.url}/openapi.json` });
    expect(source).toMatchObject({ title: 'Demo garage booking API', baseUrl: fixture.garage.url, auth: { kind: 'none' } });
    expect(tools.map((tool) => [tool.name, tool.method, tool.confirm])).toEqual([
      ['listBranches', 'GET', false],
      ['listServices', 'GET', false],
      ['listFreeSlots', 'GET', false],
      ['listBookings', 'GET', false],
      ['createBooking', 'POST', true],
      ['getBooking', 'GET', false],
      ['cancelBooking', 'DELETE', true],
    ]);
    const createBooking = tools.find((tool) => tool.name === 'createBooking')!;
    expect(createBooking.parameters).toMatchObject({ required: ['body'], properties: { body: { required: ['serviceId', 'slotId', 'car', 'customerName'], additionalProperties: false } } });
    expect(tools.every((tool) => tool.channels.join() === 'console,api')).toBe(true);

    const { tools: agentTools } = await fixture.backend.call('agent.tools.list', {});
    expect(agentTools.map((tool) => tool.name)).toContain('listFreeSlots');

    // Restarting nothing, the list method shows the same, and a removed source takes its tools along.
    const listed = await fixture.backend.call('actions.list', {});
    expect(listed.sources.map((entry) => entry.id)).toEqual([source.id]);
    expect(await fixture.backend.call('actions.removeSource', { id: source.id })).toEqual({ removed: true });
    expect((await fixture.backend.call('agent.tools.list', {})).tools.map((tool) => tool.name)).not.toContain('listFreeSlots');
  });

  it('lets the model look up free slots and answers from them; the call is audited', async () => {
    await fixture.backend.call('actions.importOpenApi', { document: await demoDocument(), baseUrl: fixture.garage.url });
    fixture.llm.enqueue(reply.toolCall('listFreeSlots', { date: '2027-01-05', branch: 'north' }, { id: 'call_slots' }), reply.text('The first free slot is 09:00.'));
    const answer = await fixture.send('Any slot tomorrow at the north branch?');
    expect(answer.content).toBe('The first free slot is 09:00.');
    expect(fixture.garage.requests.map((request) => [request.method, request.path, request.query])).toEqual([['GET', '/slots', { date: '2027-01-05', branch: 'north' }]]);
    const [result] = toolResultsOf(fixture.llm.chatRequests[1]);
    expect(result).toMatchObject({ ok: true });
    expect((result!.data as Array<{ slotId: string }>)[0]).toEqual({ slotId: 'north-2027-01-05-9', branch: 'north', start: '2027-01-05T09:00' });

    const { entries } = await fixture.backend.call('actions.audit', {});
    expect(entries).toMatchObject([{ channel: 'console', actor: fixture.conversationId, tool: 'listFreeSlots', arguments: { date: '2027-01-05', branch: 'north' }, status: 'ok', httpStatus: 200 }]);
  });

  it('refuses bad arguments before any HTTP request, and the model reads why', async () => {
    await fixture.backend.call('actions.importOpenApi', { document: await demoDocument(), baseUrl: fixture.garage.url });
    await fixture.backend.call('actions.setPolicy', { tool: 'createBooking', channels: ['console', 'api'], confirm: false });
    fixture.llm.enqueue(
      reply.toolCalls([
        { name: 'listFreeSlots', arguments: { date: 'tomorrow', branch: 'north' }, id: 'bad_date' },
        { name: 'createBooking', arguments: { body: { serviceId: 'oil-change', slotId: 'north-2027-01-05-9', car: { plate: 'AB-123', model: 'Golf' }, customerName: 'Ann', coupon: 'FREE' } }, id: 'extra_field' },
      ]),
      reply.text('I need a date like 2027-01-05.'),
    );
    await fixture.send('Book me something');
    expect(fixture.garage.requests).toEqual([]);
    const results = toolResultsOf(fixture.llm.chatRequests[1]);
    expect(results[0]).toMatchObject({ ok: false, error: expect.stringMatching(/Invalid arguments for listFreeSlots:.*date.*pattern/) as unknown });
    expect(results[1]).toMatchObject({ ok: false, error: expect.stringMatching(/Invalid arguments for createBooking:.*additional properties/) as unknown });
    const { entries } = await fixture.backend.call('actions.audit', {});
    expect(entries.map((entry) => [entry.tool, entry.status])).toEqual(expect.arrayContaining([['listFreeSlots', 'refused'], ['createBooking', 'refused']]));
  });

  it('reads a hostile document: too many operations is a clear refusal, picked ones import with names and schemas that work', async () => {
    const document = hostileDocument();
    const tooMany = fixture.backend.call('actions.importOpenApi', { document });
    await expect(tooMany).rejects.toMatchObject({ code: 'invalid_params', message: expect.stringContaining('5000 operations') as unknown });

    const inspected = await fixture.backend.call('actions.inspectOpenApi', { document });
    expect(inspected.operations).toHaveLength(5000);
    expect(inspected.operations.slice(0, 3).map((operation) => operation.tool)).toEqual(['get_trees_by_treeId', 'put_trees_by_treeId', 'post_notes']);
    expect(inspected.operations[3]!.tool).toBe('filler_0');

    const { tools } = await fixture.backend.call('actions.importOpenApi', { document, operations: ['get_trees_by_treeId', 'put_trees_by_treeId', 'post_notes', 'filler 7!'] });
    expect(tools.map((tool) => tool.name)).toEqual(['get_trees_by_treeId', 'put_trees_by_treeId', 'post_notes', 'filler_7']);
    const put = tools[1]!.parameters as { properties: { body: { properties: { children: { items: { description: string } } } } } };
    expect(put.properties.body.properties.children.items.description).toMatch(/recursive/);
    const notes = tools[2]!.parameters as { properties: { body: { additionalProperties: unknown } } };
    expect(notes.properties.body.additionalProperties).toEqual({ type: 'string' });

    const broken = fixture.backend.call('actions.importOpenApi', { document: { openapi: '3.0.3', info: { title: 'x' }, paths: { '/a': { get: { responses: 'nope' } } } } });
    await expect(broken).rejects.toMatchObject({ code: 'invalid_params', message: expect.stringContaining('could not be read') as unknown });
    const garbled = fixture.backend.call('actions.importOpenApi', { document: 'openapi: [3.0.3\ninfo: {' });
    await expect(garbled).rejects.toMatchObject({ code: 'invalid_params', message: expect.stringMatching(/neither JSON nor YAML \(YAML error at line \d+\)/) as unknown });
    const scalar = fixture.backend.call('actions.importOpenApi', { document: 'just words' });
    await expect(scalar).rejects.toMatchObject({ code: 'invalid_params', message: expect.stringContaining('neither JSON nor YAML') as unknown });
  });

  it('reads the YAML form of a document, pasted or fetched, into the same tools as its JSON form', async () => {
    const json = await demoDocument();
    const yamlText = dump(json);
    const inspectedJson = await fixture.backend.call('actions.inspectOpenApi', { document: json });
    const inspectedYaml = await fixture.backend.call('actions.inspectOpenApi', { document: yamlText });
    expect(inspectedYaml.operations).toEqual(inspectedJson.operations);

    const served = createServer((_request, response) => response.writeHead(200, { 'content-type': 'application/yaml' }).end(yamlText));
    await new Promise<void>((resolve) => served.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = served.address() as AddressInfo;
      const { tools } = await fixture.backend.call('actions.importOpenApi', { url: `http://127.0.0.1:${port}/openapi.yaml`, baseUrl: fixture.garage.url });
      expect(tools.map((tool) => tool.name).sort()).toEqual(inspectedJson.operations.map((operation) => operation.tool).sort());
    } finally {
      await new Promise((resolve) => served.close(resolve));
    }
  });

  it('refuses to import an operation whose name another tool already has, and imports nothing of that document', async () => {
    const clash = {
      openapi: '3.0.3',
      info: { title: 'Clash', version: '1' },
      servers: [{ url: fixture.garage.url }],
      paths: {
        '/time': { get: { operationId: 'get_current_time', responses: { '200': { description: 'ok' } } } },
        '/other': { get: { operationId: 'other', responses: { '200': { description: 'ok' } } } },
      },
    };
    await expect(fixture.backend.call('actions.importOpenApi', { document: clash })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('get_current_time') as unknown,
    });
    const listed = await fixture.backend.call('actions.list', {});
    expect([listed.sources, listed.tools]).toEqual([[], []]);
  });
});
