import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, TEST_OUTPUT_DIR, watchPageErrors } from '../support/browser';
import { reply, startScriptedOpenAiServer, type ScriptedOpenAiServer } from '../support/scripted-openai-server';
import { startServerProcess, type ServerProcess } from '../support/server-process';

const API_KEY = 'sk-scripted-e2e';
const ANSWER = 'It is **tea time** in Paris.\n\n| city | time |\n|---|---|\n| Paris | 17:00 |\n\nSee [the clock](https://example.com/clock).';

describe('agent console', () => {
  let llm: ScriptedOpenAiServer;
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    llm = await startScriptedOpenAiServer({ models: ['scripted-model', 'scripted-small'], apiKey: API_KEY });
    server = await startServerProcess();
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, permissions: ['clipboard-read', 'clipboard-write'] });
    page = await context.newPage();
    errors = watchPageErrors(page);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await llm?.close();
  });

  it('adds a custom provider, tests it and picks its model for the console', async () => {
    await page.goto(server.consoleUrl);
    await expect.poll(() => page.getByTestId('connection-indicator').textContent()).toContain('Connected');
    await page.getByRole('navigation', { name: 'Panels' }).getByRole('button', { name: 'Models' }).click();
    await expect.poll(() => page.getByText('No provider yet').count()).toBe(1);

    await page.getByLabel('Add a provider').selectOption('custom');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByLabel('Name', { exact: true }).fill('Scripted');
    await page.getByLabel('Base URL').fill(llm.baseUrl);
    await page.getByLabel('API key').fill(API_KEY);
    await page.getByRole('button', { name: 'Save provider' }).click();
    await expect.poll(() => page.getByText('key stored', { exact: true }).count()).toBe(1);
    // The key is write-only: the field is empty again once saved.
    expect(await page.getByLabel('API key').inputValue()).toBe('');

    // Listed live from the provider, and searchable.
    await expect.poll(() => page.getByRole('radio').count()).toBe(2);
    await page.getByLabel('Search models').fill('small');
    await expect.poll(() => page.getByRole('radio').count()).toBe(1);
    await page.getByLabel('Search models').fill('');

    await page.getByLabel('Model (optional)').fill('scripted-model');
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    await expect.poll(() => page.getByTestId('diagnosis').textContent()).toContain('OK');
    expect(await page.getByTestId('diagnosis').textContent()).toContain('answered with scripted-model');

    await page.getByRole('radio', { name: 'scripted-model' }).check();
    await page.getByRole('button', { name: 'Use for Console' }).click();
    await expect.poll(() => page.getByTestId('console-model').textContent()).toContain('scripted/scripted-model');
    await mkdir(TEST_OUTPUT_DIR, { recursive: true });
    await page.screenshot({ path: join(TEST_OUTPUT_DIR, 'models-panel.png'), fullPage: true });
  });

  it('streams an answer with a tool card, and shows the conversation again after a reload', async () => {
    await page.getByRole('navigation', { name: 'Panels' }).getByRole('button', { name: 'Conversation' }).click();
    await expect.poll(() => page.getByText('No conversations yet').count()).toBe(1);

    llm.reset();
    llm.enqueue(reply.toolCall('get_current_time', { timeZone: 'Europe/Paris' }), reply.text(ANSWER, { chunkDelayMs: 40 }));
    const composer = page.getByLabel('Message to the agent');
    await composer.fill('What time is it in Paris?');
    await composer.press('Enter');

    // While the answer streams: the Stop button, and text that grows before the turn is over.
    const live = page.locator('article.answer[aria-busy="true"]');
    await expect.poll(() => live.textContent(), { timeout: 10_000 }).toContain('tea');
    expect(await page.getByRole('button', { name: 'Stop' }).count()).toBe(1);
    await expect.poll(() => page.getByRole('button', { name: 'Send' }).count(), { timeout: 10_000 }).toBe(1);

    const answer = page.getByTestId('answer').last();
    expect(await answer.locator('strong').textContent()).toBe('tea time');
    expect(await answer.getByRole('cell', { name: 'Paris' }).count()).toBe(1);
    expect(await answer.getByRole('link', { name: 'the clock' }).getAttribute('target')).toBe('_blank');
    const card = answer.getByTestId('tool-card');
    expect(await card.locator('summary').textContent()).toMatch(/get_current_time\s*ok/);
    expect(await answer.getByTestId('answer-meta').textContent()).toContain('scripted/scripted-model');
    expect(await answer.getByTestId('answer-meta').textContent()).toContain('based on:');

    await answer.getByRole('button', { name: 'Copy' }).click();
    await expect.poll(() => page.evaluate<string>('navigator.clipboard.readText()')).toBe(ANSWER);

    // The model got the tool's result before answering.
    const second = llm.chatRequests[1]?.body?.messages?.at(-1);
    expect(second).toMatchObject({ role: 'tool' });

    await page.reload();
    await expect.poll(() => page.getByTestId('connection-indicator').textContent()).toContain('Connected');
    // Titled by the backend after the first message.
    const list = page.getByRole('complementary', { name: 'Conversations' });
    await expect.poll(() => list.getByText('What time is it in Paris?', { exact: true }).count()).toBe(1);
    await expect.poll(() => page.getByTestId('user-message').textContent()).toBe('What time is it in Paris?');
    const reloaded = page.getByTestId('answer').last();
    await expect.poll(() => reloaded.locator('strong').textContent()).toBe('tea time');
    await reloaded.getByTestId('tool-card').locator('summary').click();
    await expect.poll(() => reloaded.getByTestId('tool-card').textContent()).toContain('Europe/Paris');

    await mkdir(TEST_OUTPUT_DIR, { recursive: true });
    await page.screenshot({ path: join(TEST_OUTPUT_DIR, 'agent-console.png'), fullPage: true });
  });

  it('stops an answer being written and regenerates the last one', async () => {
    llm.reset();
    llm.enqueue(reply.hang({ chunks: ['Counting ', 'slowly… '] }));
    const composer = page.getByLabel('Message to the agent');
    await composer.fill('Count to a million');
    await composer.press('Enter');
    await expect.poll(() => page.locator('article.answer[aria-busy="true"]').textContent(), { timeout: 10_000 }).toContain('Counting');
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => page.getByText('Stopped before the answer was complete.').count(), { timeout: 10_000 }).toBe(1);

    llm.enqueue(reply.text('One, two, three.'));
    await page.getByRole('button', { name: 'Regenerate' }).click();
    await expect.poll(() => page.getByTestId('answer').last().textContent(), { timeout: 10_000 }).toContain('One, two, three.');
    expect(await page.getByText('Stopped before the answer was complete.').count()).toBe(0);
  });

  it('renames, finds and deletes conversations', async () => {
    const list = page.getByRole('complementary', { name: 'Conversations' });
    await list.getByRole('button', { name: 'Rename What time is it in Paris?' }).click();
    await list.getByLabel('New title').fill('Paris time');
    await list.getByLabel('New title').press('Enter');
    await expect.poll(() => list.getByText('Paris time', { exact: true }).count()).toBe(1);

    await list.getByRole('button', { name: 'New' }).click();
    await expect.poll(() => page.getByText('Nothing here yet.', { exact: false }).count()).toBe(1);
    await expect.poll(() => list.getByRole('listitem').count()).toBe(2);

    await list.getByLabel('Search conversations').fill('paris');
    await expect.poll(() => list.getByRole('listitem').count()).toBe(1);
    await list.getByLabel('Search conversations').fill('');
    await expect.poll(() => list.getByRole('listitem').count()).toBe(2);

    page.once('dialog', (dialog) => void dialog.accept());
    await list.getByRole('button', { name: 'Delete Paris time' }).click();
    await expect.poll(() => list.getByText('Paris time', { exact: true }).count()).toBe(0);
    expect(await list.getByRole('listitem').count()).toBe(1);
  });

  it('falls back to the next model when the first breaks mid-answer, dropping its partial text', async () => {
    const nav = page.getByRole('navigation', { name: 'Panels' });
    await nav.getByRole('button', { name: 'Models' }).click();
    const fallbacks = page.getByRole('form', { name: 'Add a fallback' });
    await fallbacks.getByLabel('Add a fallback: model').fill('scripted-small');
    await fallbacks.getByRole('button', { name: 'Add fallback' }).click();
    await expect.poll(() => page.locator('.fallback-list li').textContent()).toContain('scripted/scripted-small');

    await nav.getByRole('button', { name: 'Conversation' }).click();
    llm.reset();
    llm.enqueue(reply.cut(['Doomed ', 'partial '], { model: 'scripted-model' }), reply.text('The fallback answered.', { model: 'scripted-small' }));
    const composer = page.getByLabel('Message to the agent');
    await composer.fill('Try the fallback');
    await composer.press('Enter');
    const answer = page.getByTestId('answer').last();
    await expect.poll(() => answer.getByTestId('answer-meta').count(), { timeout: 10_000 }).toBe(1);
    expect(await answer.textContent()).toContain('The fallback answered.');
    expect(await answer.textContent()).not.toContain('Doomed');
    expect(await answer.getByTestId('answer-meta').textContent()).toContain('fallback from scripted/scripted-model');
    expect(errors).toEqual([]);
  });
});
