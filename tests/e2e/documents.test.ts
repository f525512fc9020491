import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multiPagePdf } from '../backend/documents/support/sample-pdfs';
import { launchChromium, TEST_OUTPUT_DIR, watchPageErrors } from '../support/browser';
import { reply, startScriptedOpenAiServer, type ScriptedOpenAiServer } from '../support/scripted-openai-server';
import { callServerMethod, startServerProcess, type ServerProcess } from '../support/server-process';

const ANSWER = 'Boilers carry a seven-year warranty on the heat exchanger (Heating price list, p. 2).';

describe('documents in the console', () => {
  let llm: ScriptedOpenAiServer;
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let fileDir: string;

  beforeAll(async () => {
    llm = await startScriptedOpenAiServer({ models: ['scripted-model'] });
    server = await startServerProcess();
    await callServerMethod(server, 'providers.save', { id: 'scripted', kind: 'custom', name: 'Scripted', baseUrl: llm.baseUrl, maxRetries: 0 });
    await callServerMethod(server, 'settings.set', { key: 'agent.console.model', value: { providerId: 'scripted', model: 'scripted-model' } });
    fileDir = await mkdtemp(join(tmpdir(), 'parley-e2e-documents-'));
    await writeFile(join(fileDir, 'Heating price list.pdf'), multiPagePdf());
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    errors = watchPageErrors(page);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await llm?.close();
    if (fileDir) await rm(fileDir, { recursive: true, force: true });
  });

  it('uploads a PDF, follows its reading to ready, and opens a search hit in the viewer at its page', async () => {
    await page.goto(server.consoleUrl);
    await expect.poll(() => page.getByTestId('connection-indicator').textContent()).toContain('Connected');
    await page.getByRole('navigation', { name: 'Panels' }).getByRole('button', { name: 'Documents' }).click();
    await page.getByLabel('PDF files to upload').setInputFiles(join(fileDir, 'Heating price list.pdf'));
    const row = page.getByTestId('document-row');
    await expect.poll(() => row.textContent(), { timeout: 20_000 }).toContain('3 pages');

    await page.getByLabel('Search the documents').fill('warranty heat exchanger');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('button', { name: 'Heating price list, p. 2' }).click();
    await expect.poll(() => page.getByTestId('viewer-page').getAttribute('data-page')).toBe('2');
    await expect.poll(() => page.locator('.textLayer .hit').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await mkdir(TEST_OUTPUT_DIR, { recursive: true });
    await page.screenshot({ path: join(TEST_OUTPUT_DIR, 'documents-panel.png'), fullPage: true });
  });

  it('the agent answers from the PDF and cites the page', async () => {
    llm.enqueue(
      reply.toolCall('search_documents', { query: 'boiler warranty' }),
      reply.text(ANSWER, { match: (request) => JSON.stringify(request.body?.messages ?? []).includes('Heating price list, p. 2') }),
    );
    await page.getByRole('navigation', { name: 'Panels' }).getByRole('button', { name: 'Conversation' }).click();
    const composer = page.getByLabel('Message to the agent');
    await composer.fill('How long is the warranty on a boiler?');
    await composer.press('Enter');
    await expect.poll(() => page.locator('article.answer').last().textContent(), { timeout: 15_000 }).toContain('(Heating price list, p. 2)');
    expect(errors).toEqual([]);
  });
});
