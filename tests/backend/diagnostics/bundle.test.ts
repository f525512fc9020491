import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIAGNOSTICS_BUNDLE_PATH } from '#protocol';
import { startTestBackend, type TestBackend } from '../../support/backend-harness';
import { startScriptedOpenAiServer, type ScriptedOpenAiServer } from '../../support/scripted-openai-server';
import { readZip } from './read-zip';

// Every secret a support bundle could leak, each configured through the real methods or environment.
const PROVIDER_KEY = 'sk-provider-key-6f1d2c9a8b7e4d3c';
const HEADER_SECRET = 'header-secret-31c4e9';
const ENV_LLM_KEY = 'sk-environment-key-0a9b8c7d6e5f4a3b';
const WHATSAPP = { appSecret: 'wa-app-secret-ä-8e1f', verifyToken: 'wa-verify-token-77c2', accessToken: 'EAAwhatsappAccessToken9d8c7b6a', wahaApiKey: 'waha-api-key-5b4a', wahaHmacKey: 'waha-hmac-key-3c2d' };
const DB_PASSWORD = 'db-pass-"quoted"-e5d4';
const ENV_DB_PASSWORD = 'env-db-pass-c3b2a1';
const CUSTOM_SECRET = 'custom-secret-value-1a2b3c';

describe('the diagnostics bundle', () => {
  let llm: ScriptedOpenAiServer;
  let backend: TestBackend;
  let secrets: string[];

  beforeAll(async () => {
    llm = await startScriptedOpenAiServer({ models: ['model-a'] });
    backend = await startTestBackend({
      environment: {
        PARLEY_LLM_BASE_URL: llm.baseUrl,
        PARLEY_LLM_API_KEY: ENV_LLM_KEY,
        PARLEY_LLM_MODEL: 'model-a',
        PARLEY_DB_LEGACY_URL: `postgres://app:${ENV_DB_PASSWORD}@127.0.0.1:5432/postgres`,
      },
    });
    await backend.call('providers.save', { id: 'paid', kind: 'custom', name: 'Paid', baseUrl: llm.baseUrl, apiKey: PROVIDER_KEY, extraHeaders: { 'x-api-key': HEADER_SECRET, 'HTTP-Referer': 'https://parley.example' } });
    await backend.call('whatsapp.configure', { ...WHATSAPP, phoneNumberId: '106540352242922' });
    await backend.call('databases.save', { name: 'orders', dialect: 'postgres', host: '127.0.0.1', port: 5432, database: 'postgres', user: 'postgres', password: DB_PASSWORD });
    await backend.call('secrets.set', { name: 'custom.token', value: CUSTOM_SECRET });
    // Careless log lines: a secret in a field, in a header, in a URL and in the message itself.
    backend.backend.logger.warn(
      { apiKey: PROVIDER_KEY, headers: { authorization: `Bearer ${backend.token}` }, url: `postgres://postgres:${encodeURIComponent(DB_PASSWORD)}@127.0.0.1/postgres` },
      `request to Paid failed with key ${PROVIDER_KEY} and token ${WHATSAPP.accessToken}; db ${DB_PASSWORD}, custom ${CUSTOM_SECRET}, hmac ${WHATSAPP.wahaHmacKey}`,
    );
    secrets = [PROVIDER_KEY, HEADER_SECRET, ENV_LLM_KEY, ...Object.values(WHATSAPP), DB_PASSWORD, ENV_DB_PASSWORD, CUSTOM_SECRET, backend.token];
  });

  afterAll(async () => {
    await backend?.close();
    await llm?.close();
  });

  it('is a zip of logs, versions, health, settings and provider records in which no configured secret appears', async () => {
    const response = await backend.fetch(DIAGNOSTICS_BUNDLE_PATH);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="parley-diagnostics-.+\.zip"$/);
    const files = readZip(Buffer.from(await response.arrayBuffer()));
    expect([...files.keys()]).toEqual(
      expect.arrayContaining(['README.txt', 'versions.json', 'health.json', 'settings.json', 'providers.json', 'secrets.json', 'environment.json', 'jobs.json', 'metrics.txt', 'logs/recent.jsonl']),
    );
    expect([...files.keys()].some((name) => /^logs\/parley\.\d+\.log$/.test(name))).toBe(true);

    for (const [name, data] of files) {
      const text = data.toString('utf8');
      for (const secret of secrets) {
        expect(text.includes(secret), `${name} contains the secret ${secret}`).toBe(false);
        expect(text.includes(JSON.stringify(secret).slice(1, -1)), `${name} contains the JSON-escaped secret ${secret}`).toBe(false);
        expect(text.includes(encodeURIComponent(secret)), `${name} contains the URL-encoded secret ${secret}`).toBe(false);
      }
    }

    // What support needs is still there.
    const providers = JSON.parse(files.get('providers.json')!.toString()) as Array<{ id: string; baseUrl: string; hasApiKey: boolean; extraHeaders: Record<string, string> }>;
    expect(providers.find((provider) => provider.id === 'paid')).toMatchObject({ baseUrl: llm.baseUrl, hasApiKey: true, extraHeaders: { 'x-api-key': '[removed]', 'HTTP-Referer': 'https://parley.example' } });
    expect(JSON.parse(files.get('settings.json')!.toString())).toMatchObject({ 'agent.console.model': { model: 'model-a' }, 'whatsapp.phoneNumberId': '106540352242922' });
    expect(JSON.parse(files.get('health.json')!.toString()).components).toHaveProperty('store');
    expect(JSON.parse(files.get('secrets.json')!.toString()).map((secret: { name: string }) => secret.name)).toContain('custom.token');
    expect(JSON.parse(files.get('versions.json')!.toString())).toMatchObject({ node: process.version, mode: 'server' });
    expect(JSON.parse(files.get('environment.json')!.toString())).toMatchObject({ PARLEY_LLM_API_KEY: '[removed]', PARLEY_LLM_MODEL: 'model-a' });
    const leak = files.get('logs/recent.jsonl')!.toString().split('\n').find((line) => line.includes('request to Paid failed'))!;
    expect(leak).toContain('[removed]');
    expect(files.get('metrics.txt')!.toString()).toContain('parley_stage_duration_seconds');
  });

  it('needs the token', async () => {
    expect((await backend.fetch(DIAGNOSTICS_BUNDLE_PATH, { token: null })).status).toBe(401);
    expect((await backend.fetch(DIAGNOSTICS_BUNDLE_PATH, { token: 'not-the-token-at-all' })).status).toBe(401);
  });
});
