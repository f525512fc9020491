import { topics } from '#protocol';
import type { StartBackendOptions } from '../../../backend/app';
import { startTestBackend, type ParleySocketClient, type TestBackend } from '../../support/backend-harness';
import { startScriptedOpenAiServer, type ScriptedOpenAiServer } from '../../support/scripted-openai-server';
import { ACCESS_TOKEN, APP_SECRET, PHONE_NUMBER_ID, signCloud, VERIFY_TOKEN } from './cloud-payloads';
import { startFakeGraphServer, type FakeGraphServer } from './fake-graph-server';

export interface WhatsAppFixture {
  backend: TestBackend;
  llm: ScriptedOpenAiServer;
  graph: FakeGraphServer;
  /** The public listener's /webhooks/whatsapp URL. */
  webhookUrl: string;
  /** POSTs a body as Meta would: the raw bytes signed with the app secret (or the given signature; null: none). */
  deliver(body: unknown, options?: { signature?: string | null; raw?: Buffer }): Promise<Response>;
  openSocket(): Promise<ParleySocketClient>;
  close(): Promise<void>;
}

export interface WhatsAppFixtureOptions {
  environment?: Record<string, string>;
  dataDir?: string;
  graph?: FakeGraphServer;
  llm?: ScriptedOpenAiServer;
  /** Another set of capabilities than the product's (a test one beside them). */
  capabilities?: StartBackendOptions['capabilities'];
}

/** The real backend configured from WHATSAPP_* env against a fake Graph API, answering with a scripted LLM (echo by default). */
export async function startWhatsAppFixture(options: WhatsAppFixtureOptions = {}): Promise<WhatsAppFixture> {
  const llm = options.llm ?? (await startScriptedOpenAiServer({ models: ['model-a'] }));
  const graph = options.graph ?? (await startFakeGraphServer());
  const environment = {
    WHATSAPP_APP_SECRET: APP_SECRET,
    WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN,
    WHATSAPP_ACCESS_TOKEN: ACCESS_TOKEN,
    WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
    WHATSAPP_GRAPH_URL: graph.url,
    WHATSAPP_GRAPH_VERSION: 'v25.0',
    PARLEY_LLM_BASE_URL: llm.baseUrl,
    PARLEY_LLM_MODEL: 'model-a',
    ...options.environment,
  };
  const backend = await startTestBackend({ environment, ...(options.dataDir ? { dataDir: options.dataDir } : {}) }, options.capabilities ? { capabilities: options.capabilities } : {});
  const webhookUrl = `${backend.backend.publicUrl!}/webhooks/whatsapp`;
  return {
    backend,
    llm,
    graph,
    webhookUrl,
    deliver: (body, deliverOptions = {}) => {
      const raw = deliverOptions.raw ?? Buffer.from(JSON.stringify(body));
      const signature = deliverOptions.signature === undefined ? signCloud(raw) : deliverOptions.signature;
      return fetch(webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...(signature !== null ? { 'x-hub-signature-256': signature } : {}) }, body: new Uint8Array(raw) });
    },
    openSocket: async () => {
      const socket = await backend.openSocket();
      await socket.call('events.subscribe', { topics: [topics.whatsapp] });
      return socket;
    },
    close: async () => {
      await backend.close();
      if (!options.llm) await llm.close();
      if (!options.graph) await graph.close();
    },
  };
}

/**
 * Polls until `check` returns a value (not undefined/false), or fails after `timeoutMs` with `what`.
 * A check that throws is tried again (a webhook's 200 comes before its delivery is consumed, so the
 * contact may not exist yet); past the deadline its last error is the failure.
 */
export async function eventually<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let failure: unknown;
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      failure = error;
    }
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${failure ? `: ${(failure as Error).message}` : ''}`, { cause: failure });
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Recognition through the Voice panel's engine: a remote one, the fake server that checks it got 16 kHz mono WAV. */
export async function transcribeThrough(fixture: WhatsAppFixture, stt: { baseUrl: string }): Promise<void> {
  await fixture.backend.call('providers.save', { id: 'stt', kind: 'custom', name: 'Transcriber', baseUrl: stt.baseUrl, apiKey: 'sk-stt', maxRetries: 0 });
  await fixture.backend.call('settings.set', { key: 'voice.stt.engine', value: 'remote' });
  await fixture.backend.call('settings.set', { key: 'voice.stt.remote', value: { providerId: 'stt', model: 'whisper-1' } });
}
