import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_TOKEN, APP_SECRET, PHONE_NUMBER_ID, signCloud, statusUpdate, textMessage, VERIFY_TOKEN } from '../backend/whatsapp/cloud-payloads';
import { startFakeGraphServer, type FakeGraphServer } from '../backend/whatsapp/fake-graph-server';
import { startFakeTranscriptionServer, type FakeTranscriptionServer } from '../backend/speech/stt/fake-transcription-server';
import { launchChromium, TEST_OUTPUT_DIR, watchPageErrors } from '../support/browser';
import { writeSpokenLoopWav } from '../support/fake-microphone';
import { reply, startScriptedOpenAiServer, type ScriptedOpenAiServer } from '../support/scripted-openai-server';
import { callServerMethod, startServerProcess, type ServerProcess } from '../support/server-process';

const CONTACT = '16505551234';

describe('WhatsApp panel: the live inbox, take-over and recorded voice notes', () => {
  let llm: ScriptedOpenAiServer;
  let graph: FakeGraphServer;
  let stt: FakeTranscriptionServer;
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let webhookUrl: string;
  let mediaDir: string;

  beforeAll(async () => {
    llm = await startScriptedOpenAiServer({ models: ['scripted-model'] });
    graph = await startFakeGraphServer();
    stt = await startFakeTranscriptionServer();
    server = await startServerProcess({
      env: {
        PARLEY_LLM_BASE_URL: llm.baseUrl,
        PARLEY_LLM_MODEL: 'scripted-model',
        WHATSAPP_APP_SECRET: APP_SECRET,
        WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN,
        WHATSAPP_ACCESS_TOKEN: ACCESS_TOKEN,
        WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
        WHATSAPP_GRAPH_URL: graph.url,
      },
    });
    webhookUrl = `${server.output().match(/Webhooks:\s+(http:\/\/\S+)/)![1]}/webhooks/whatsapp`;
    // Voice notes are transcribed by a remote engine here (a stand-in that answers what the test says).
    await callServerMethod(server, 'providers.save', { id: 'stt', kind: 'custom', name: 'Transcriber', baseUrl: stt.baseUrl, apiKey: 'sk-stt', maxRetries: 0 });
    await callServerMethod(server, 'settings.set', { key: 'voice.stt.engine', value: 'remote' });
    await callServerMethod(server, 'settings.set', { key: 'voice.stt.remote', value: { providerId: 'stt', model: 'whisper-1' } });
    // The microphone: espeak-ng speech played in a loop by Chromium's fake capture device.
    mediaDir = await mkdtemp(join(tmpdir(), 'parley-e2e-whatsapp-'));
    const spoken = writeSpokenLoopWav(mediaDir, 'Do you have a table for two tonight?', { leadMs: 200, trailMs: 400 });
    browser = await launchChromium(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-audio-capture=${spoken.path}`]);
    page = await (await browser.newContext({ viewport: { width: 1280, height: 1000 }, permissions: ['microphone'] })).newPage();
    errors = watchPageErrors(page);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await Promise.all([llm?.close(), graph?.close(), stt?.close()]);
    if (mediaDir) await rm(mediaDir, { recursive: true, force: true });
  });

  const deliver = async (body: unknown) => {
    const raw = Buffer.from(JSON.stringify(body));
    const response = await fetch(webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signCloud(raw) }, body: raw });
    expect(response.status).toBe(200);
  };
  const contactButton = (name: RegExp) => page.getByRole('list', { name: 'Contacts' }).getByRole('button', { name });
  const messages = () => page.getByRole('list', { name: 'Messages' }).getByRole('listitem');

  it('shows the exact webhook URL to register, with the tunnel and reverse-proxy explanation', async () => {
    await page.goto(server.consoleUrl);
    await expect.poll(() => page.getByTestId('connection-indicator').textContent()).toContain('Connected');
    await page.getByRole('navigation', { name: 'Panels' }).getByRole('button', { name: 'WhatsApp' }).click();
    await page.getByText('Connection: Meta Cloud API').click();
    await expect.poll(() => page.getByTestId('webhook-url').textContent()).toBe(webhookUrl);
    const setup = await page.locator('.webhook-address').textContent();
    expect(setup).toContain(`cloudflared tunnel --url ${new URL(webhookUrl).origin}`);
    expect(setup).toContain('reverse proxy');
    // The behaviour settings save through the settings API, and say what a refused value was.
    await page.getByText('Behaviour: replies, sessions, who may write').click();
    await page.getByLabel('Voice-note replies').selectOption('mirror');
    await page.getByLabel(/^Number's throughput/).fill('1000');
    await page.getByRole('group', { name: 'Recorded in the inbox, not answered' }).getByLabel('Locations').check();
    await page.getByLabel(/^Block list/).fill('+1 650 555 0100\nnot a number');
    await page.getByRole('button', { name: 'Save behaviour' }).click();
    await expect.poll(() => page.getByRole('alert', { name: 'Settings not saved' }).textContent()).toContain('whatsapp.blockList');
    await page.getByLabel(/^Block list/).fill('+1 650 555 0100');
    await page.getByRole('button', { name: 'Save behaviour' }).click();
    await expect.poll(async () => ((await callServerMethod(server, 'settings.list', {})) as { settings: Record<string, unknown> }).settings['whatsapp.blockList']).toEqual(['+1 650 555 0100']);
    expect(((await callServerMethod(server, 'settings.list', {})) as { settings: Record<string, unknown> }).settings).toMatchObject({ 'whatsapp.voiceReplies': 'mirror', 'whatsapp.messagesPerSecond': 1000, 'whatsapp.unansweredKinds': ['reaction', 'location'] });
    await mkdir(TEST_OUTPUT_DIR, { recursive: true });
    await page.screenshot({ path: join(TEST_OUTPUT_DIR, 'whatsapp-setup.png'), fullPage: true });
    // Back to text replies for the rest; both cards closed again.
    await page.getByLabel('Voice-note replies').selectOption('never');
    await page.getByRole('button', { name: 'Save behaviour' }).click();
    await expect.poll(async () => ((await callServerMethod(server, 'settings.list', {})) as { settings: Record<string, unknown> }).settings['whatsapp.voiceReplies']).toBe('never');
    await page.getByText('Behaviour: replies, sessions, who may write').click();
    await page.getByText('Connection: Meta Cloud API').click();
  });

  it('an inbound message appears live; the operator takes over and replies; the reply reaches the Graph API and its ticks follow the status webhooks', async () => {
    llm.enqueue(reply.text('Hello Kerry, how can I help?'));
    await deliver(textMessage('Hi, is anyone there?').payload);
    // Live: no reload, the contact and its unread count come by the socket.
    await expect.poll(() => contactButton(/Kerry Fisher/).count(), { timeout: 10_000 }).toBe(1);
    await contactButton(/Kerry Fisher/).click();
    await expect.poll(() => messages().allTextContents(), { timeout: 10_000 }).toEqual([expect.stringContaining('Hi, is anyone there?'), expect.stringContaining('Hello Kerry, how can I help?')]);

    await page.getByRole('button', { name: 'Take over' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Release to the agent' }).count()).toBe(1);
    await deliver(textMessage('I would like to speak to a person.').payload);
    await expect.poll(() => messages().last().textContent(), { timeout: 10_000 }).toContain('Held for the operator');
    expect(llm.chatRequests).toHaveLength(1);

    await page.getByLabel('Reply as the operator').fill('Hi Kerry, Sam here. How can I help?');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const sends = await graph.waitForSends(2, 10_000);
    expect(sends[1]!.body).toMatchObject({ to: CONTACT, type: 'text', text: { body: 'Hi Kerry, Sam here. How can I help?' } });
    const operatorReply = messages().filter({ hasText: 'Sam here' });
    await expect.poll(() => operatorReply.getByTestId('ticks').getAttribute('aria-label'), { timeout: 10_000 }).toBe('Sent');

    const wamid = graph.wamids[1]!;
    await deliver(statusUpdate(wamid, 'delivered'));
    await expect.poll(() => operatorReply.getByTestId('ticks').getAttribute('aria-label'), { timeout: 10_000 }).toBe('Delivered');
    await deliver(statusUpdate(wamid, 'read'));
    await expect.poll(() => operatorReply.getByTestId('ticks').getAttribute('aria-label'), { timeout: 10_000 }).toBe('Read');
    // The agent stayed silent while the operator had the contact.
    expect(llm.chatRequests).toHaveLength(1);

    await page.getByRole('button', { name: 'Release to the agent' }).click();
    llm.enqueue(reply.text('Anything else I can do?'));
    await deliver(textMessage('Thanks!').payload);
    await graph.waitForSends(3, 10_000);
    expect(graph.sentTexts()[2]).toBe('Anything else I can do?');
    await mkdir(TEST_OUTPUT_DIR, { recursive: true });
    await page.screenshot({ path: join(TEST_OUTPUT_DIR, 'whatsapp-panel.png'), fullPage: true });
  });

  it('the operator records a reply from the microphone: it goes out as a voice note and plays in the inbox', async () => {
    stt.answer = { text: 'Sam speaking, see you tonight.' };
    await page.getByRole('button', { name: '🎤 Record a reply' }).click();
    await expect.poll(() => page.getByRole('button', { name: /Stop and send \([1-9]/ }).count(), { timeout: 10_000 }).toBe(1);
    await page.getByRole('button', { name: /Stop and send/ }).click();
    const sends = await graph.waitForSends(4, 15_000);
    expect(sends[3]!.body).toMatchObject({ to: CONTACT, type: 'audio', audio: { voice: true } });
    expect(graph.uploads.at(-1)!.contentType).toBe('audio/ogg; codecs=opus');
    const voiceReply = messages().filter({ hasText: 'Sam speaking, see you tonight.' });
    await expect.poll(() => voiceReply.locator('audio').count(), { timeout: 10_000 }).toBe(1);
    // The player got the stored OGG/Opus through the control route (a blob: URL; the route needs the token).
    expect(await voiceReply.locator('audio').getAttribute('src')).toMatch(/^blob:/);
  });

  it('the simulator contact sends a voice note from the microphone: transcribed, answered, playable with its transcript', async () => {
    stt.answer = { text: 'Do you have a table for two tonight?' };
    llm.enqueue(reply.text('Yes, at eight.'));
    await page.getByRole('button', { name: '🎤 Voice note as contact' }).click();
    await expect.poll(() => page.getByRole('button', { name: /Stop and send \([1-9]/ }).count(), { timeout: 10_000 }).toBe(1);
    await page.getByRole('button', { name: /Stop and send/ }).click();
    await expect.poll(() => page.getByRole('region', { name: /Conversation with Test contact/ }).count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => messages().allTextContents(), { timeout: 15_000 }).toEqual([expect.stringContaining('🎤 Do you have a table for two tonight?'), expect.stringContaining('Yes, at eight.')]);
    await expect.poll(() => messages().first().locator('audio').count()).toBe(1);
    // The simulator's reply went to the built-in stand-in, never to the Graph API of the configured number.
    expect(graph.sends()).toHaveLength(4);
    expect(errors).toEqual([]);
  });
});
