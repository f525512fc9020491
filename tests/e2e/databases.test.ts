import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, TEST_OUTPUT_DIR, watchPageErrors } from '../support/browser';
import { reply, startScriptedOpenAiServer, type ScriptedOpenAiServer } from '../support/scripted-openai-server';
import { callServerMethod, startServerProcess, type ServerProcess } from '../support/server-process';

const SALES_BY_CATEGORY = `SELECT p.category, ROUND(SUM(l.quantity * l.unit_price), 2) AS revenue
FROM order_lines l JOIN products p ON p.id = l.product_id GROUP BY p.category ORDER BY revenue DESC`;

describe('databases: the agent answers from the demo shop, with the rows and a chart in the conversation', () => {
  let llm: ScriptedOpenAiServer;
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  const panel = (name: string) => page.getByRole('navigation', { name: 'Panels' }).getByRole('button', { name, exact: true }).click();
  const ask = async (text: string) => {
    const composer = page.getByLabel('Message to the agent');
    await composer.fill(text);
    await composer.press('Enter');
  };
  const productPrice = async (id: number) =>
    ((await callServerMethod(server, 'databases.query', { connection: 'demo_shop', sql: `SELECT unit_price FROM products WHERE id = ${id}` })) as { rows: number[][] }).rows[0]![0];

  beforeAll(async () => {
    llm = await startScriptedOpenAiServer({ models: ['scripted-model'] });
    server = await startServerProcess();
    await callServerMethod(server, 'providers.save', { id: 'scripted', kind: 'custom', name: 'Scripted', baseUrl: llm.baseUrl, maxRetries: 0 });
    await callServerMethod(server, 'settings.set', { key: 'agent.console.model', value: { providerId: 'scripted', model: 'scripted-model' } });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 1000 }, acceptDownloads: true })).newPage();
    errors = watchPageErrors(page);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await llm?.close();
  });

  it('answers from the rows the tool ran, and shows them as a table and a chart under the answer', async () => {
    llm.enqueue(
      reply.toolCall('db_demo_shop_query', { sql: SALES_BY_CATEGORY }),
      reply.text('Equipment brings in the most revenue of the four categories, then coffee.'),
    );
    await page.goto(server.consoleUrl);
    await expect.poll(() => page.getByTestId('connection-indicator').textContent()).toContain('Connected');
    await ask('Which product category sells the most?');
    const answer = page.locator('article.answer').last();
    await expect.poll(() => answer.textContent(), { timeout: 15_000 }).toContain('Equipment brings in the most revenue');

    // What the model summarised from: the columns, every row (four here), the count and whether the cap cut them.
    const categories = ((await callServerMethod(server, 'databases.query', { connection: 'demo_shop', sql: SALES_BY_CATEGORY })) as { rows: unknown[][] }).rows.map((row) => row[0]);
    expect(categories[0]).toBe('Equipment');
    const toolMessage = (llm.chatRequests[1]?.body?.messages ?? []).find((message) => message.role === 'tool');
    const toolData = (JSON.parse(String(toolMessage?.content)) as { data: Record<string, unknown> }).data;
    expect(toolData).toMatchObject({ connection: 'demo_shop', columns: ['category', 'revenue'], rowCount: 4, truncated: false, rowsShown: 4 });
    expect((toolData.rows as unknown[][]).map((row) => row[0])).toEqual(categories);

    // The same rows under the answer, then a chart of them, switchable; the raw JSON stays in the card.
    const preview = answer.getByTestId('result-preview');
    await expect.poll(() => preview.getByTestId('result-preview-summary').textContent()).toBe('4 rows from demo_shop');
    const table = preview.getByRole('table', { name: 'First rows from demo_shop' });
    expect(await table.getByRole('columnheader').allTextContents()).toEqual(['category', 'revenue']);
    expect((await table.getByRole('row').allTextContents()).slice(1).map((row) => row.replace(/[\d.]+$/, ''))).toEqual(categories);
    await expect.poll(() => preview.getByTestId('result-chart').getAttribute('data-kind'), { timeout: 10_000 }).toBe('pie');
    await preview.getByRole('button', { name: 'bar', exact: true }).click();
    await expect.poll(() => preview.getByTestId('result-chart').getAttribute('data-kind')).toBe('bar');
    expect(await answer.getByTestId('tool-card').locator('pre').last().textContent()).toContain('"rowCount": 4');
    await mkdir(TEST_OUTPUT_DIR, { recursive: true });
    await page.screenshot({ path: join(TEST_OUTPUT_DIR, 'databases-answer.png'), fullPage: true });

    // The link opens the whole result in the Databases panel, run there.
    await preview.getByRole('button', { name: 'Open in Databases' }).click();
    await expect.poll(() => page.getByTestId('query-summary').textContent()).toMatch(/^4 rows in \d+ ms/);
    expect(await page.getByLabel('SQL').inputValue()).toBe(SALES_BY_CATEGORY);
    expect(await page.getByRole('table', { name: 'Query result' }).getByRole('row').count()).toBe(5);
  });

  it('exports the result as CSV from the backend’s stream; the history has the agent’s query; a write in the query box is refused', async () => {
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const file = await (await download).path();
    const lines = (await readFile(file, 'utf8')).trimEnd().split('\r\n');
    expect(lines[0]).toBe('category,revenue');
    expect(lines.slice(1).map((line) => line.split(',')[0])).toEqual(((await callServerMethod(server, 'databases.query', { connection: 'demo_shop', sql: SALES_BY_CATEGORY })) as { rows: unknown[][] }).rows.map((row) => row[0]));

    await expect.poll(() => page.getByRole('button', { name: /ROUND\(SUM/ }).count()).toBeGreaterThanOrEqual(2);
    await page.getByLabel('SQL').fill('DELETE FROM orders');
    await page.getByRole('button', { name: /^Run/ }).click();
    await expect.poll(() => page.getByTestId('query-error').textContent()).toContain('refused');
  });

  it('a write, once writes are allowed in the panel, waits for the approval card in the conversation: approved it runs, rejected it does not', async () => {
    expect(await productPrice(1)).not.toBe(9.99);
    await page.getByRole('button', { name: 'Settings & test' }).click();
    await page.getByLabel('Allow the agent to write (one INSERT, UPDATE or DELETE at a time)').check();
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByRole('button', { name: /demo_shop/ }).textContent()).toContain('writes allowed');

    await panel('Conversation');
    llm.enqueue(reply.toolCall('db_demo_shop_write', { sql: 'UPDATE products SET unit_price = 9.99 WHERE id = 1' }), reply.text('Done: product 1 now costs 9.99.'));
    await ask('Set the price of product 1 to 9.99');
    const card = page.getByTestId('confirmation-card');
    await expect.poll(() => card.textContent(), { timeout: 15_000 }).toContain('UPDATE on demo_shop: UPDATE products SET unit_price = 9.99 WHERE id = 1');
    await page.screenshot({ path: join(TEST_OUTPUT_DIR, 'databases-write-approval.png'), fullPage: true });
    expect(await productPrice(1)).not.toBe(9.99);
    await card.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => page.locator('article.answer').last().textContent(), { timeout: 15_000 }).toContain('Done: product 1 now costs 9.99.');
    expect(await page.getByTestId('confirmation-card').count()).toBe(0);
    expect(await productPrice(1)).toBe(9.99);

    const before = await productPrice(2);
    llm.enqueue(reply.toolCall('db_demo_shop_write', { sql: 'UPDATE products SET unit_price = 0 WHERE id = 2' }), reply.text('All right, I left the price as it was.'));
    await ask('Make product 2 free');
    await expect.poll(() => card.textContent(), { timeout: 15_000 }).toContain('UPDATE products SET unit_price = 0 WHERE id = 2');
    await card.getByRole('button', { name: 'Reject' }).click();
    await expect.poll(() => page.locator('article.answer').last().textContent(), { timeout: 15_000 }).toContain('I left the price as it was');
    expect(await productPrice(2)).toBe(before);
    const history = (await callServerMethod(server, 'databases.history', { connection: 'demo_shop', search: 'unit_price = ' })) as { entries: Array<{ kind: string; rowCount: number | null; error: string | null }> };
    expect(history.entries.map((entry) => [entry.kind, entry.rowCount, entry.error?.split(':')[0] ?? null])).toEqual([
      ['write', null, 'forbidden'],
      ['write', 1, null],
    ]);
    expect(errors).toEqual([]);
  });
});
