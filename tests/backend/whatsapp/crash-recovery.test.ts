import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { callServerMethod, startServerProcess, type ServerProcess } from '../../support/server-process';
import { startScriptedOpenAiServer, type ScriptedOpenAiServer } from '../../support/scripted-openai-server';
import { ACCESS_TOKEN, APP_SECRET, PHONE_NUMBER_ID, signCloud, textMessage, VERIFY_TOKEN } from './cloud-payloads';
import { startFakeGraphServer, type FakeGraphServer } from './fake-graph-server';
import { signWaha, startFakeWaha, wahaEnvironment, wahaMessage, type FakeWahaServer } from './fake-waha-server';
import { eventually } from './whatsapp-fixture';

/**
 * The built backend as a real process, killed with SIGKILL right after it acknowledged a
 * delivery: after a restart on the same data dir the message is answered, exactly once.
 */
describe('WhatsApp bridge across a crash', () => {
  let llm: ScriptedOpenAiServer;
  let graph: FakeGraphServer;
  let dataDir: string;
  let server: ServerProcess | undefined;
  let waha: FakeWahaServer | undefined;

  beforeAll(() => {
    // The process runs the built backend: build it from the current sources (about a second), never a stale one.
    execFileSync(process.execPath, ['backend/build.mjs'], { stdio: 'inherit' });
  });

  afterEach(async () => {
    if (server && server.child.exitCode === null) await server.stop({ keepData: true });
    await llm?.close();
    await graph?.close();
    await waha?.close();
    waha = undefined;
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  const start = (provider: Record<string, string> = { WHATSAPP_APP_SECRET: APP_SECRET, WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN, WHATSAPP_ACCESS_TOKEN: ACCESS_TOKEN, WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID, WHATSAPP_GRAPH_URL: graph.url }) =>
    startServerProcess({
      dataDir,
      env: {
        PARLEY_LOG_LEVEL: 'warn',
        ...provider,
        PARLEY_LLM_BASE_URL: llm.baseUrl,
        PARLEY_LLM_MODEL: 'model-a',
        // A dead process's claim lapses quickly, so the restarted one resumes without a long wait.
        WHATSAPP_JOB_LEASE_MS: '1500',
      },
    });

  const webhookUrlOf = async (process: ServerProcess, path = '/webhooks/whatsapp') =>
    eventually('the webhook URL in the output', () => process.output().match(/Webhooks:\s+(http:\/\/\S+)/)?.[1]).then((base) => `${base}${path}`);

  it('a message acknowledged just before SIGKILL is answered exactly once after the restart', async () => {
    llm = await startScriptedOpenAiServer({ models: ['model-a'] });
    graph = await startFakeGraphServer();
    dataDir = await mkdtemp(join(tmpdir(), 'parley-whatsapp-crash-'));
    // The first process is slow to answer: the kill lands while its turn is claimed or running.
    llm.enqueue({ kind: 'text', text: 'Here is your answer.', firstTokenDelayMs: 3_000 });

    server = await start();
    const { payload } = textMessage('Are you still there?');
    const raw = Buffer.from(JSON.stringify(payload));
    const answer = await fetch(await webhookUrlOf(server), { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signCloud(raw) }, body: raw });
    expect(answer.status).toBe(200);
    const exited = new Promise((resolve) => server!.child.once('exit', resolve));
    server.child.kill('SIGKILL');
    await exited;
    expect(graph.sends()).toHaveLength(0);

    server = await start();
    await graph.waitForSends(1, 20_000);
    // Time for a second send, if there were one.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(graph.sends()).toHaveLength(1);
    expect(graph.sends()[0]!.body).toMatchObject({ to: '16505551234', type: 'text' });
    const listed = (await callServerMethod(server, 'whatsapp.messages.list', { contactId: '16505551234' })) as { messages: Array<{ direction: string; status: string }> };
    expect(listed.messages.filter((message) => message.direction === 'out')).toHaveLength(1);
    expect(listed.messages.find((message) => message.direction === 'in')?.status).toBe('answered');
  }, 60_000);

  it('killed in the middle of the turn (the contact’s words stored, the model asked): the turn runs again and the conversation holds the words once', async () => {
    llm = await startScriptedOpenAiServer({ models: ['model-a'] });
    graph = await startFakeGraphServer();
    dataDir = await mkdtemp(join(tmpdir(), 'parley-whatsapp-crash-'));
    llm.enqueue({ kind: 'text', text: 'Never finished.', firstTokenDelayMs: 10_000 }, { kind: 'text', text: 'Here you are.' });

    server = await start();
    const { payload } = textMessage('What are your opening hours?');
    const raw = Buffer.from(JSON.stringify(payload));
    expect((await fetch(await webhookUrlOf(server), { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signCloud(raw) }, body: raw })).status).toBe(200);
    // The turn stored the contact's words and asked the model: now the process dies.
    await llm.waitForChatRequests(1, 15_000);
    const exited = new Promise((resolve) => server!.child.once('exit', resolve));
    server.child.kill('SIGKILL');
    await exited;

    server = await start();
    await graph.waitForSends(1, 20_000);
    expect(graph.sentTexts()).toEqual(['Here you are.']);
    const { contacts } = (await callServerMethod(server, 'whatsapp.contacts.list', {})) as { contacts: Array<{ conversationId: string }> };
    const { messages } = (await callServerMethod(server, 'conversations.messages', { id: contacts[0]!.conversationId })) as { messages: Array<{ role: string; content: string }> };
    expect(messages.map((message) => [message.role, message.content])).toEqual([
      ['user', 'What are your opening hours?'],
      ['assistant', 'Here you are.'],
    ]);
    // The model was asked again with the words once.
    const resumed = llm.chatRequests[1]!.body?.messages as Array<{ role: string; content: string }>;
    expect(resumed.filter((message) => message.role === 'user').map((message) => message.content)).toEqual(['What are your opening hours?']);
  }, 60_000);

  it('over WAHA too: a message acknowledged just before SIGKILL is answered exactly once after the restart', async () => {
    llm = await startScriptedOpenAiServer({ models: ['model-a'] });
    graph = await startFakeGraphServer();
    waha = await startFakeWaha();
    dataDir = await mkdtemp(join(tmpdir(), 'parley-whatsapp-crash-'));
    llm.enqueue({ kind: 'text', text: 'Here is your answer.', firstTokenDelayMs: 3_000 });

    server = await start(wahaEnvironment(waha));
    const raw = Buffer.from(JSON.stringify(wahaMessage('Are you still there?', 'CRASH1')));
    const answer = await fetch(await webhookUrlOf(server, '/webhooks/waha'), { method: 'POST', headers: { 'content-type': 'application/json', 'x-webhook-hmac': signWaha(raw) }, body: raw });
    expect(answer.status).toBe(200);
    const exited = new Promise((resolve) => server!.child.once('exit', resolve));
    server.child.kill('SIGKILL');
    await exited;
    expect(waha.sentTexts()).toEqual([]);

    server = await start(wahaEnvironment(waha));
    await eventually('the reply sent through WAHA', () => waha!.sentTexts().length === 1, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(waha.sentTexts()).toHaveLength(1);
    const listed = (await callServerMethod(server, 'whatsapp.messages.list', { contactId: 'waha:16505551234' })) as { messages: Array<{ direction: string; status: string }> };
    expect(listed.messages.filter((message) => message.direction === 'out')).toHaveLength(1);
    expect(listed.messages.find((message) => message.direction === 'in')?.status).toBe('answered');
  }, 60_000);
});
