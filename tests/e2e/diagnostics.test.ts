import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, TEST_OUTPUT_DIR, watchPageErrors } from '../support/browser';
import { reply, startScriptedOpenAiServer, type ScriptedOpenAiServer } from '../support/scripted-openai-server';
import { callServerMethod, startServerProcess, type ServerProcess } from '../support/server-process';
import { readZip } from '../backend/diagnostics/read-zip';

const API_KEY = 'sk-scripted-diagnostics-e2e-5c4b3a29';

/** A number a chart's canvas carries as a data attribute (how many in-place updates, the sum of its points). */
async function chartNumber(page: Page, testId: string, attribute: 'data-updates' | 'data-total' | 'data-series'): Promise<number> {
  return Number((await page.getByTestId(testId).getAttribute(attribute)) ?? 0);
}

describe('Diagnostics panel', () => {
  let llm: ScriptedOpenAiServer;
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let conversationId: string;

  beforeAll(async () => {
    llm = await startScriptedOpenAiServer({ models: ['model-a', 'model-b'], apiKey: API_KEY });
    server = await startServerProcess({ env: { PARLEY_LLM_BASE_URL: llm.baseUrl, PARLEY_LLM_API_KEY: API_KEY, PARLEY_LLM_MODEL: 'model-a' } });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true })).newPage();
    errors = watchPageErrors(page);
    conversationId = ((await callServerMethod(server, 'conversations.create', { title: 'Opening hours' })) as { conversation: { id: string } }).conversation.id;
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await llm?.close();
  });

  it('shows charts that update in place while the scripted agent answers, and the shell says what the agent does', async () => {
    await page.goto(server.consoleUrl);
    await expect.poll(() => page.getByTestId('connection-indicator').textContent()).toContain('Connected');
    await expect.poll(() => page.getByTestId('agent-status').getAttribute('data-state')).toBe('idle');
    await page.keyboard.press('Alt+8');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Diagnostics');
    await expect.poll(() => page.getByTestId('metrics-summary').textContent()).toContain('No stage recorded');
    const firstDraw = await chartNumber(page, 'throughput-chart', 'data-updates');

    // A slow answer after a tool call: the shell shows it working, the charts take the new stages.
    llm.enqueue(reply.toolCall('get_current_time', { timeZone: 'Europe/Paris' }, { firstTokenDelayMs: 600 }), reply.text('We open at nine.', { firstTokenDelayMs: 1200 }));
    const answered = callServerMethod(server, 'agent.send', { conversationId, text: 'When do you open?', turnId: 'e2e-turn-1' });
    await expect.poll(() => page.getByTestId('agent-status').getAttribute('data-state'), { timeout: 5_000 }).toMatch(/thinking|tool/);
    await answered;
    await expect.poll(() => page.getByTestId('agent-status').getAttribute('data-state')).toBe('idle');
    await expect.poll(() => chartNumber(page, 'throughput-chart', 'data-series')).toBe(3);
    expect(await chartNumber(page, 'throughput-chart', 'data-updates')).toBeGreaterThan(firstDraw);
    await expect.poll(() => page.getByTestId('metrics-summary').textContent()).toContain('3 events, 0 failed');
    // The latency chart shows the LLM's total by default, and it took at least the scripted delays.
    expect(await page.getByLabel('Latency stage').inputValue()).toBe('llm_total');
    await expect.poll(() => chartNumber(page, 'latency-chart', 'data-total')).toBeGreaterThan(1800);

    // A second answer, the panel still open: the same charts are updated, not rebuilt.
    const before = { updates: await chartNumber(page, 'throughput-chart', 'data-updates'), total: await chartNumber(page, 'throughput-chart', 'data-total') };
    llm.enqueue(reply.text('Until six.', { chunkDelayMs: 50 }));
    await callServerMethod(server, 'agent.send', { conversationId, text: 'And when do you close?', turnId: 'e2e-turn-2' });
    await expect.poll(() => chartNumber(page, 'throughput-chart', 'data-total')).toBeGreaterThan(before.total);
    expect(await chartNumber(page, 'throughput-chart', 'data-updates')).toBeGreaterThan(before.updates);
    await expect.poll(() => page.getByTestId('metrics-summary').textContent()).toContain('5 events');

    // Another range keeps the data.
    await page.getByRole('radio', { name: '24 h' }).click();
    await expect.poll(() => page.getByTestId('metrics-summary').textContent()).toContain('5 events, 0 failed, in the last 24 h');
    await mkdir(TEST_OUTPUT_DIR, { recursive: true });
    await page.screenshot({ path: join(TEST_OUTPUT_DIR, 'diagnostics-panel.png'), fullPage: true });
  });

  it('turns the shell’s dot red when the provider becomes unreachable, with the reason in the table', async () => {
    const provider = ((await callServerMethod(server, 'providers.list', {})) as { providers: Array<Record<string, unknown>> }).providers.find((candidate) => candidate.id === 'env')!;
    await callServerMethod(server, 'providers.save', { ...provider, baseUrl: 'http://127.0.0.1:9/v1' });
    await page.getByRole('button', { name: 'Check all now' }).click();
    await expect.poll(() => page.getByTestId('trouble-dot').count()).toBe(1);
    const row = page.locator('tr[data-component="llm:env"]');
    await expect.poll(() => row.textContent()).toMatch(/not ready.*127\.0\.0\.1:9/s);

    await callServerMethod(server, 'providers.save', provider);
    await row.getByRole('button', { name: 'Check now' }).click();
    await expect.poll(() => page.getByTestId('trouble-dot').count()).toBe(0);
    // Ready again, and the last error is still shown.
    await expect.poll(() => row.textContent()).toMatch(/ready.*127\.0\.0\.1:9/s);
  });

  it('filters the log, and downloads a bundle without the API key', async () => {
    await page.getByLabel('Search the log').fill('backend ready');
    await expect.poll(() => page.getByRole('list', { name: 'Log entries' }).locator('li').count()).toBe(1);
    await page.getByLabel('Search the log').fill('');

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download diagnostics bundle' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^parley-diagnostics-.+\.zip$/);
    const files = readZip(await readFile((await file.path())!));
    expect(files.has('providers.json')).toBe(true);
    for (const [name, data] of files) expect(data.toString().includes(API_KEY), `${name} has the API key`).toBe(false);
  });

  it('replays a conversation against another model and shows each answer beside the original', async () => {
    llm.enqueue(reply.toolCall('get_current_time', { timeZone: 'Europe/Paris' }, { model: 'model-b' }), reply.text('Nine.', { model: 'model-b' }), reply.text('Six.', { model: 'model-b' }));
    const form = page.getByRole('form', { name: 'New replay' });
    await form.getByRole('checkbox', { name: /Opening hours/ }).check();
    await form.getByLabel('Replay provider').selectOption('env');
    await form.getByLabel('Replay model').fill('model-b');
    await form.getByRole('button', { name: 'Replay 1 conversation' }).click();
    await expect.poll(() => page.getByTestId('replay-summary').textContent(), { timeout: 15_000 }).toContain('Done: 2 turn(s)');
    expect(await page.getByTestId('replay-summary').textContent()).toContain('tools matched 2/2');
    const table = page.getByRole('table', { name: 'Original and replayed answers' });
    await expect.poll(() => table.locator('tbody tr').count()).toBe(2);
    expect(await table.locator('tbody tr').first().textContent()).toMatch(/We open at nine\..*Nine\./s);

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const csv = await readFile((await (await download).path())!, 'utf8');
    expect(csv.split('\r\n')[1]).toContain('When do you open?');
    await page.screenshot({ path: join(TEST_OUTPUT_DIR, 'diagnostics-replay.png'), fullPage: true });
    expect(errors).toEqual([]);
  });
});
