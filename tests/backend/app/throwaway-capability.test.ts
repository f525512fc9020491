import { createHmac } from 'node:crypto';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methods } from '#protocol';
import { productCapabilities } from '../../../backend/app';
import { startTestBackend, type TestBackend } from '../../support/backend-harness';
import { reply, startScriptedOpenAiServer, type ScriptedOpenAiServer } from '../../support/scripted-openai-server';
import { THROWAWAY_HOOK_SECRET, throwawayCapability, throwawayMethods } from './throwaway-capability';

describe('a capability added in one folder and one list line', () => {
  let backend: TestBackend;
  let llm: ScriptedOpenAiServer;
  beforeAll(async () => {
    llm = await startScriptedOpenAiServer({ models: ['model-a'], whenEmpty: 'error' });
    backend = await startTestBackend(
      {},
      {
        capabilities: (agent) => [...productCapabilities(agent), throwawayCapability],
        methods: { ...methods, ...throwawayMethods },
      },
    );
    await backend.call('providers.save', { id: 'scripted', kind: 'custom', name: 'Scripted', baseUrl: llm.baseUrl, maxRetries: 0 });
    await backend.call('settings.set', { key: 'agent.console.model', value: { providerId: 'scripted', model: 'model-a' } });
  });
  afterAll(async () => {
    await backend?.close();
    await llm?.close();
  });

  function rpc(method: string, params: unknown): Promise<Response> {
    return backend.fetch(`/api/rpc/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params) });
  }

  function signedHook(body: string, secret = THROWAWAY_HOOK_SECRET): Promise<Response> {
    const signature = createHmac('sha256', secret).update(body).digest('hex');
    return fetch(`${backend.backend.publicUrl}/hooks/throwaway`, { method: 'POST', headers: { 'x-signature': signature, 'content-type': 'application/json' }, body });
  }

  it('serves its method over the control API, on the table its migration created, with params validated', async () => {
    const added = await rpc('throwaway.notes.add', { text: 'first' });
    expect(added.status).toBe(200);
    expect(await added.json()).toEqual({ result: { id: 1, count: 1 } });
    const refused = await rpc('throwaway.notes.add', { text: '' });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('invalid_params');
    expect(backend.backend.store.appliedMigrations).toContain('9000_throwaway_notes');
  });

  it('serves its public route on the public listener only, with the exact bytes received', async () => {
    const body = '{"text":  "from the hook"}';
    const hooked = await signedHook(body);
    expect(hooked.status).toBe(200);
    expect(await hooked.json()).toEqual({ stored: true, bytes: Buffer.byteLength(body) });
    expect((await signedHook(body, 'wrong secret')).status).toBe(401);
    // Not on the control listener, token or not.
    expect((await backend.fetch('/hooks/throwaway', { method: 'POST', body })).status).toBe(404);
  });

  it('offers its tool to the agent, which calls it and answers from its data', async () => {
    llm.enqueue(reply.toolCall('count_throwaway_notes', { source: 'hook' }), reply.text('There is 1 note from the hook (throwaway notes).'));
    const client = new OpenAI({ baseURL: `${backend.url}/v1`, apiKey: backend.token, maxRetries: 0 });
    const answer = await client.chat.completions.create({ model: 'parley-agent', messages: [{ role: 'user', content: 'How many hook notes?' }] });
    expect(answer.choices[0]?.message.content).toBe('There is 1 note from the hook (throwaway notes).');
    const offered = (llm.chatRequests[0]?.body as { tools?: Array<{ function: { name: string; parameters: unknown } }> }).tools ?? [];
    expect(offered.map((tool) => tool.function.name)).toContain('count_throwaway_notes');
    expect(offered.find((tool) => tool.function.name === 'count_throwaway_notes')?.function.parameters).toMatchObject({
      type: 'object',
      properties: { source: { enum: ['rpc', 'hook'] } },
    });
    const toolMessage = (llm.chatRequests[1]?.body as { messages: Array<{ role: string; content: string }> }).messages.find((message) => message.role === 'tool');
    expect(JSON.parse(toolMessage!.content)).toEqual({ ok: true, source: 'throwaway notes', data: { notes: 1 } });
    const listed = await backend.call('agent.tools.list', {});
    expect(listed.tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(['get_current_time', 'count_throwaway_notes']));
  });

  it('reports its health check in /healthz on both listeners', async () => {
    const control = (await (await fetch(`${backend.url}/healthz`)).json()) as { components: Record<string, { ready: boolean; detail: string }> };
    expect(control.components.throwaway).toMatchObject({ ready: true, detail: '2 note(s)' });
    const publicHealth = (await (await fetch(`${backend.backend.publicUrl}/healthz`)).json()) as { components: Record<string, unknown> };
    expect(publicHealth.components.throwaway).toMatchObject({ ready: true });
  });
});
