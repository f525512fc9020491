import { createHmac } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { productCapabilities } from '../../../../backend/app';
import { WEBHOOK_SPOOL_TABLE } from '../../../../backend/server';
import { startTestBackend, type TestBackend } from '../../../support/backend-harness';
import { eventually } from '../../whatsapp/whatsapp-fixture';
import { SPOOLED_HOOK_PATH, spooledHook, type SpooledHook } from './spooled-hook-capability';

const KEY = 'spooled-hook-key';

describe('webhooks on the public listener’s own thread', () => {
  let backend: TestBackend | undefined;
  afterEach(async () => {
    await backend?.close();
    backend = undefined;
  });

  async function start(hook: SpooledHook): Promise<TestBackend> {
    backend = await startTestBackend({}, { capabilities: (agent) => [...productCapabilities(agent), hook.capability] });
    return backend;
  }

  function post(running: TestBackend, body: string, options: { key?: string; signature?: string | null } = {}): Promise<Response> {
    const signature = options.signature === undefined ? createHmac('sha256', options.key ?? KEY).update(body).digest('hex') : options.signature;
    return fetch(`${running.backend.publicUrl}${SPOOLED_HOOK_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(signature !== null ? { 'x-signature': signature } : {}) }, body });
  }

  const spooledRows = async (running: TestBackend) => (await running.backend.store.knex(WEBHOOK_SPOOL_TABLE).select('*')) as Array<{ attempts: number; last_error: string | null; body: Buffer }>;

  it('answers 200 once a delivery is spooled, then consumes the deliveries in arrival order and empties the spool', async () => {
    const hook = spooledHook(KEY);
    const running = await start(hook);
    const texts = Array.from({ length: 12 }, (_, index) => `delivery ${index}`);
    for (const text of texts) {
      const answer = await post(running, JSON.stringify({ text }));
      expect(answer.status).toBe(200);
      expect(await answer.json()).toEqual({ received: true });
    }
    await eventually('all consumed', () => hook.consumed.length === texts.length);
    expect(hook.consumed.map((entry) => entry.text)).toEqual(texts);
    expect(hook.consumed.every((entry) => Math.abs(entry.receivedAt - Date.now()) < 60_000)).toBe(true);
    await eventually('the spool emptied', async () => (await spooledRows(running)).length === 0);
    // The thread tells the main thread what it answered after the answer went out: it may arrive after the consumption.
    await eventually('every answer reported', () => hook.answers.length === texts.length);
    expect(hook.answers).toEqual(texts.map(() => 'accepted'));
  });

  it('answers a delivery while the main thread is blocked', async () => {
    const hook = spooledHook(KEY);
    const running = await start(hook);
    const client = new Worker(new URL('./blocked-loop-client.worker.ts', import.meta.url), {
      workerData: { url: `${running.backend.publicUrl}${SPOOLED_HOOK_PATH}`, key: KEY, body: JSON.stringify({ text: 'while busy' }) },
      execArgv: ['--import', 'tsx'],
    });
    const answer = new Promise<{ status: number; answeredAt: number }>((resolve, reject) => {
      client.once('message', resolve);
      client.once('error', reject);
    });
    // Let the client thread start, then keep this thread (the backend's main one) busy for 3 s.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const blockedUntil = Date.now() + 3_000;
    while (Date.now() < blockedUntil) {
      // Busy: no timer, socket or message of this thread runs.
    }
    const { status, answeredAt } = await answer;
    expect(status).toBe(200);
    expect(answeredAt).toBeLessThan(blockedUntil);
    await eventually('consumed once the main thread is free', () => hook.consumed.length === 1);
  });

  it('refuses what it cannot verify or read, and spools none of it', async () => {
    const hook = spooledHook(undefined);
    const running = await start(hook);
    const body = JSON.stringify({ text: 'hello' });
    const unconfigured = await post(running, body);
    expect(unconfigured.status).toBe(503);
    expect(((await unconfigured.json()) as { error: { code: string; message: string } }).error).toEqual({ code: 'unavailable', message: 'No key for the spooled hook' });
    hook.setKey(KEY);
    await eventually('the thread has the key', async () => (await post(running, JSON.stringify({ text: 'keyed' }))).status === 200);
    expect((await post(running, body, { signature: null })).status).toBe(401);
    expect((await post(running, body, { key: 'another key' })).status).toBe(401);
    expect((await post(running, body, { signature: 'zz' })).status).toBe(401);
    expect((await post(running, '{"text": ')).status).toBe(400);
    expect((await post(running, '["a list"]')).status).toBe(400);
    expect((await post(running, JSON.stringify({ text: 'x'.repeat(5000) }))).status).toBe(413);
    // A changed key: the old one is refused from then on.
    hook.setKey('rotated key');
    await eventually('the rotated key applies', async () => (await post(running, body, { key: 'rotated key' })).status === 200);
    expect((await post(running, body)).status).toBe(401);
    await eventually('both consumed', () => hook.consumed.length === 2);
    expect(hook.consumed.map((entry) => entry.text)).toEqual(['keyed', 'hello']);
    expect(new Set(hook.answers)).toEqual(new Set(['unconfigured', 'accepted', 'rejected_signature', 'malformed', 'too_large']));
    expect(await spooledRows(running)).toEqual([]);
  });

  it('drops a delivery its consumer finds malformed, retries one it failed on, and sets aside one that keeps failing without holding up the rest', async () => {
    const hook = spooledHook(KEY);
    hook.behaviour.set('malformed', 'malformed');
    hook.behaviour.set('flaky', 'fail');
    hook.behaviour.set('broken', 'fail');
    const running = await start(hook);
    for (const text of ['first', 'malformed', 'flaky', 'after flaky']) expect((await post(running, JSON.stringify({ text }))).status).toBe(200);
    await eventually('the flaky one tried twice', () => (hook.attempts.get('flaky')?.length ?? 0) >= 2, 5_000);
    // A second later, not at once (the arrival of the next delivery does not hurry it).
    const [firstTry, secondTry] = hook.attempts.get('flaky')!;
    expect(secondTry! - firstTry!).toBeGreaterThanOrEqual(900);
    // Nothing after it is consumed while it is retried: arrival order holds.
    expect(hook.consumed.map((entry) => entry.text)).toEqual(['first']);
    hook.behaviour.delete('flaky');
    await eventually('the flaky one and the next consumed', () => hook.consumed.length === 3, 5_000);
    expect(hook.consumed.map((entry) => entry.text)).toEqual(['first', 'flaky', 'after flaky']);
    expect(hook.attempts.get('malformed')).toHaveLength(1);

    for (const text of ['broken', 'behind broken']) expect((await post(running, JSON.stringify({ text }))).status).toBe(200);
    await eventually('the broken one set aside and the next consumed', () => hook.consumed.some((entry) => entry.text === 'behind broken'), 10_000);
    expect(hook.attempts.get('broken')).toHaveLength(5);
    const [setAside, ...others] = await spooledRows(running);
    expect(others).toEqual([]);
    expect(setAside).toMatchObject({ attempts: 5, last_error: 'cannot take "broken" now' });
    expect(JSON.parse(setAside!.body.toString('utf8'))).toEqual({ text: 'broken' });
  }, 30_000);
});
