import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestBackend, type TestBackend } from '../../support/backend-harness';
import { reply, startScriptedOpenAiServer, type ScriptedOpenAiServer } from '../../support/scripted-openai-server';
import { closedPort, recordUnhandledRejections, startAgentFixture, type AgentFixture } from './agent-fixture';

/** Every file under `dir` (the SQLite file, its WAL, the logs...), concatenated. */
async function allBytes(dir: string): Promise<Buffer> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
  return Buffer.concat(await Promise.all(files.map((file) => readFile(file))));
}

const unhandled = recordUnhandledRejections();
afterAll(() => unhandled.stop());

describe('providers', () => {
  let fixture: AgentFixture;
  beforeEach(async () => {
    fixture = await startAgentFixture();
  });
  afterEach(async () => {
    await fixture.close();
    // Give stray promises a chance to reject before looking.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(unhandled.rejections).toEqual([]);
  });

  it('saves a provider with a key that is never returned and only stored sealed', async () => {
    const apiKey = 'sk-parley-test-7f3a9c1e5b2d4a6f8e0c';
    const { provider } = await fixture.backend.call('providers.save', {
      id: 'keyed',
      kind: 'openai',
      name: 'Keyed Provider Zebra',
      baseUrl: 'https://api.example.test/v1/',
      apiKey,
      defaultModel: 'gpt-x',
    });
    expect(provider).toEqual({
      id: 'keyed',
      kind: 'openai',
      name: 'Keyed Provider Zebra',
      baseUrl: 'https://api.example.test/v1',
      defaultModel: 'gpt-x',
      timeoutMs: 60_000,
      maxRetries: 1,
      extraHeaders: {},
      hasApiKey: true,
    });
    const listed = await fixture.backend.call('providers.list', {});
    expect(listed.providers.map((entry) => [entry.id, entry.hasApiKey])).toEqual([
      ['keyed', true],
      ['scripted', false],
    ]);
    expect(JSON.stringify(listed)).not.toContain(apiKey);

    const bytes = await allBytes(fixture.backend.dataDir);
    // The grep sees what is stored in plain text (so it would see the key too, were it stored so)...
    expect(bytes.includes(Buffer.from('Keyed Provider Zebra'))).toBe(true);
    // ...and the key is not among it.
    expect(bytes.includes(Buffer.from(apiKey))).toBe(false);
    expect(bytes.includes(Buffer.from(apiKey.slice(3, 20)))).toBe(false);
    const { secrets } = await fixture.backend.call('secrets.list', {});
    expect(secrets.map((secret) => secret.name)).toContain('provider.keyed.api-key');

    // Saving without a key keeps it; an empty key removes it; deleting the provider removes its key.
    expect((await fixture.backend.call('providers.save', { id: 'keyed', kind: 'openai', name: 'Renamed', baseUrl: 'https://api.example.test/v1' })).provider.hasApiKey).toBe(true);
    expect(await fixture.backend.backend.agent.providers.apiKey('keyed')).toBe(apiKey);
    expect((await fixture.backend.call('providers.save', { id: 'keyed', kind: 'openai', name: 'Renamed', baseUrl: 'https://api.example.test/v1', apiKey: '' })).provider.hasApiKey).toBe(false);
    await fixture.backend.call('providers.save', { id: 'keyed', kind: 'openai', name: 'Renamed', baseUrl: 'https://api.example.test/v1', apiKey });
    expect(await fixture.backend.call('providers.delete', { id: 'keyed' })).toEqual({ deleted: true });
    expect((await fixture.backend.call('secrets.list', {})).secrets.map((secret) => secret.name)).not.toContain('provider.keyed.api-key');
    expect((await fixture.backend.call('providers.list', {})).providers.map((entry) => entry.id)).toEqual(['scripted']);
  });

  it('refuses an invalid provider id or base URL', async () => {
    await expect(fixture.backend.call('providers.save', { id: 'Bad Id', kind: 'custom', name: 'x', baseUrl: 'http://127.0.0.1:1/v1' })).rejects.toMatchObject({
      code: 'invalid_params',
      status: 400,
    });
    await expect(fixture.backend.call('providers.save', { id: 'ftp', kind: 'custom', name: 'x', baseUrl: 'ftp://example.test/v1' })).rejects.toMatchObject({
      code: 'invalid_params',
    });
  });

  it('lists the models the provider serves', async () => {
    fixture.llm.setModels(['zeta-model', 'alpha-model']);
    expect(await fixture.backend.call('providers.models', { id: 'scripted' })).toEqual({ models: ['alpha-model', 'zeta-model'] });
    expect(fixture.llm.requests.filter((request) => request.path === '/v1/models')).toHaveLength(1);
  });

  it('reports why the models cannot be listed', async () => {
    const port = await closedPort();
    await fixture.backend.call('providers.save', { id: 'down', kind: 'custom', name: 'Down', baseUrl: `http://127.0.0.1:${port}/v1` });
    await expect(fixture.backend.call('providers.models', { id: 'down' })).rejects.toMatchObject({
      code: 'unavailable',
      message: `Connection refused by Down (http://127.0.0.1:${port}/v1)`,
      details: { problem: 'connection_refused' },
    });
  });

  it('diagnoses a working provider and model', async () => {
    fixture.llm.enqueue(reply.text('OK', { model: 'model-a' }));
    const diagnosis = await fixture.backend.call('providers.test', { id: 'scripted', model: 'model-a' });
    expect(diagnosis).toMatchObject({ ok: true, message: 'Scripted answered with model-a', models: ['model-a', 'model-b'] });
    expect(diagnosis.latencyMs).toBeGreaterThanOrEqual(0);
    expect(fixture.llm.chatRequests[0]!.body).toMatchObject({ model: 'model-a', max_tokens: 1 });
    // Without a model (and no default), listing the models is the test.
    expect(await fixture.backend.call('providers.test', { id: 'scripted' })).toMatchObject({ ok: true, message: 'Connected to Scripted: 2 models listed' });
  });

  it('diagnoses a refused connection', async () => {
    const port = await closedPort();
    await fixture.backend.call('providers.save', { id: 'down', kind: 'custom', name: 'Down', baseUrl: `http://127.0.0.1:${port}/v1` });
    const diagnosis = await fixture.backend.call('providers.test', { id: 'down', model: 'm' });
    expect(diagnosis).toEqual({
      ok: false,
      problem: 'connection_refused',
      message: `Connection refused by Down (http://127.0.0.1:${port}/v1)`,
      hint: 'Nothing listens at that address: start the server or correct the base URL.',
    });
  });

  it('diagnoses a host name that does not resolve', async () => {
    await fixture.backend.call('providers.save', { id: 'typo', kind: 'custom', name: 'Typo', baseUrl: 'http://nonexistent.invalid/v1' });
    const diagnosis = await fixture.backend.call('providers.test', { id: 'typo' });
    expect(diagnosis).toMatchObject({ ok: false, problem: 'dns', message: 'The host of Typo (http://nonexistent.invalid/v1) could not be resolved' });
    expect(diagnosis.hint).toContain('base URL');
  });

  it('diagnoses a wrong API key', async () => {
    fixture.llm.setApiKey('sk-the-right-key');
    await fixture.backend.call('providers.save', { id: 'scripted', kind: 'custom', name: 'Scripted', baseUrl: fixture.llm.baseUrl, apiKey: 'sk-the-wrong-key' });
    const diagnosis = await fixture.backend.call('providers.test', { id: 'scripted', model: 'model-a' });
    expect(diagnosis).toEqual({
      ok: false,
      problem: 'unauthorized',
      message: `Scripted (${fixture.llm.baseUrl}) refused the API key (401)`,
      hint: 'Enter a valid API key for this provider in the Models panel.',
    });
    expect(fixture.llm.requests[0]!.headers.authorization).toBe('Bearer sk-the-wrong-key');
    // With the right key the same provider passes.
    await fixture.backend.call('providers.save', { id: 'scripted', kind: 'custom', name: 'Scripted', baseUrl: fixture.llm.baseUrl, apiKey: 'sk-the-right-key' });
    fixture.llm.enqueue(reply.text('OK'));
    expect(await fixture.backend.call('providers.test', { id: 'scripted', model: 'model-a' })).toMatchObject({ ok: true });
  });

  it('diagnoses a model the provider does not know', async () => {
    // The scripted server lists its models but does not 404 a chat for another one by itself: script the 404.
    fixture.llm.enqueue(reply.error(404, "The model 'no-such-model' does not exist", { model: 'no-such-model' }));
    const diagnosis = await fixture.backend.call('providers.test', { id: 'scripted', model: 'no-such-model' });
    expect(diagnosis).toMatchObject({
      ok: false,
      problem: 'unknown_model',
      message: `Scripted (${fixture.llm.baseUrl}) does not know the model "no-such-model"`,
      models: ['model-a', 'model-b'],
    });
    expect(diagnosis.hint).toContain("provider's list");
  });

  it('diagnoses a provider that does not answer in time', async () => {
    await fixture.backend.call('providers.save', { id: 'scripted', kind: 'custom', name: 'Scripted', baseUrl: fixture.llm.baseUrl, timeoutMs: 1_000 });
    const [hung] = fixture.llm.enqueue(reply.hang());
    const started = Date.now();
    const diagnosis = await fixture.backend.call('providers.test', { id: 'scripted', model: 'model-a' });
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(diagnosis).toMatchObject({ ok: false, problem: 'timeout', message: `Scripted (${fixture.llm.baseUrl}) did not answer in time` });
    expect(await hung.outcome).toBe('aborted');
  });

  it('reports an unknown provider id', async () => {
    await expect(fixture.backend.call('providers.test', { id: 'ghost' })).rejects.toMatchObject({ code: 'not_found', status: 404 });
  });
});

describe('provider from the environment (server mode)', () => {
  let llm: ScriptedOpenAiServer;
  let backend: TestBackend;
  beforeAll(async () => {
    llm = await startScriptedOpenAiServer({ models: ['env-model'], apiKey: 'sk-env-key', whenEmpty: 'error' });
    backend = await startTestBackend({
      environment: { PARLEY_LLM_BASE_URL: llm.baseUrl, PARLEY_LLM_MODEL: 'env-model', PARLEY_LLM_API_KEY: 'sk-env-key' },
    });
  });
  afterAll(async () => {
    await backend.close();
    await llm.close();
  });

  it('defines the "env" provider, chooses it for the console and answers through it', async () => {
    const { providers } = await backend.call('providers.list', {});
    expect(providers).toEqual([expect.objectContaining({ id: 'env', kind: 'custom', baseUrl: llm.baseUrl, defaultModel: 'env-model', hasApiKey: true })]);
    const { settings } = await backend.call('settings.list', {});
    expect(settings['agent.console.model']).toEqual({ providerId: 'env', model: 'env-model' });
    llm.enqueue(reply.text('From the environment.'));
    const { conversation } = await backend.call('conversations.create', {});
    const { message } = await backend.call('agent.send', { conversationId: conversation.id, text: 'Hi', turnId: 'env' });
    expect(message).toMatchObject({ content: 'From the environment.', meta: { providerId: 'env', model: 'env-model' } });
    expect(llm.chatRequests[0]!.headers.authorization).toBe('Bearer sk-env-key');
  });
});
