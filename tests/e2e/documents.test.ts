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
    await page.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => page.getByTestId('viewer-page').count()).toBe(0);
  });

  it('the agent answers from the PDF and cites the page; clicking the citation opens the viewer there with the passage highlighted', async () => {
    llm.enqueue(
      reply.toolCall('search_documents', { query: 'boiler warranty' }),
      reply.text(ANSWER, { match: (request) => JSON.stringify(request.body?.messages ?? []).includes('Heating price list, p. 2') }),
    );
    await page.getByRole('navigation', { name: 'Panels' }).getByRole('button', { name: 'Conversation' }).click();
    const composer = page.getByLabel('Message to the agent');
    await composer.fill('How long is the warranty on a boiler?');
    await composer.press('Enter');
    const answer = page.locator('article.answer').last();
    await expect.poll(() => answer.textContent(), { timeout: 15_000 }).toContain('(Heating price list, p. 2)');

    // The model wrote the citation as plain text: it matches a passage the search gave this answer, so it is a link.
    const citation = answer.getByRole('link', { name: 'Heating price list, p. 2' });
    expect(await citation.getAttribute('target')).toBeNull();
    await citation.click();
    await expectViewerAt(2, 'warranty of seven years');
    expect(errors).toEqual([]);
  });

  it('a citation link the model copied from search_documents opens its page too, inside the console', async () => {
    await page.getByRole('navigation', { name: 'Panels' }).getByRole('button', { name: 'Conversation' }).click();
    const composer = page.getByLabel('Message to the agent');
    llm.enqueue(reply.toolCall('search_documents', { query: 'delivery working days' }), reply.text('Delivery takes two working days.'));
    await composer.fill('How fast is delivery?');
    await composer.press('Enter');
    await expect.poll(() => page.locator('article.answer').last().textContent(), { timeout: 15_000 }).toContain('Delivery takes two working days.');
    // The turn is over (its answer shows model and timings) before the next message is sent.
    await expect.poll(() => page.locator('article.answer').last().getByTestId('answer-meta').count(), { timeout: 15_000 }).toBe(1);

    // The link exactly as the tool result gave it to the model; the next answer quotes it.
    const toolMessage = llm.chatRequests.at(-1)!.body!.messages!.findLast((message) => message.role === 'tool')!;
    const link = (JSON.parse(String(toolMessage.content)) as { data: { passages: Array<{ link: string }> } }).data.passages[0]!.link;
    expect(link).toMatch(/^\[Heating price list, p\. 3\]\(parley:doc\//);
    llm.enqueue(reply.text(`Source: ${link}`));
    await composer.fill('Where does it say so?');
    await composer.press('Enter');
    const answer = page.locator('article.answer').last();
    await expect.poll(() => answer.getByRole('link', { name: 'Heating price list, p. 3' }).count(), { timeout: 15_000 }).toBe(1);
    const citation = answer.getByRole('link', { name: 'Heating price list, p. 3' });
    // An in-app link: it never leaves the console, in this tab or another.
    expect(await citation.getAttribute('href')).toBe('#documents');
    expect(await citation.getAttribute('target')).toBeNull();
    await citation.click();
    await expectViewerAt(3, 'two working days');
    expect(page.context().pages()).toHaveLength(1);
    expect(errors).toEqual([]);
    await page.screenshot({ path: join(TEST_OUTPUT_DIR, 'documents-citation.png'), fullPage: true });
  });

  /** The Documents panel shows the viewer at `pageNumber` with highlighted text that contains `words`. */
  async function expectViewerAt(pageNumber: number, words: string) {
    await expect.poll(() => page.getByRole('navigation', { name: 'Panels' }).getByRole('button', { name: 'Documents' }).getAttribute('aria-current')).toBe('page');
    await expect.poll(() => page.getByTestId('viewer-page').getAttribute('data-page'), { timeout: 10_000 }).toBe(String(pageNumber));
    await expect.poll(async () => (await page.locator('.textLayer .hit').allTextContents()).join(' '), { timeout: 10_000 }).toContain(words);
    // The highlight lies on the words drawn: the text layer covers exactly the rendered page.
    const [layer, canvas] = await Promise.all([page.locator('.textLayer').boundingBox(), page.locator('.viewer-page-frame canvas').boundingBox()]);
    expect(Math.abs(layer!.height - canvas!.height)).toBeLessThan(2);
    expect(Math.abs(layer!.width - canvas!.width)).toBeLessThan(2);
  }
});
