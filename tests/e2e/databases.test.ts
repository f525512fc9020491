import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, TEST_OUTPUT_DIR, watchPageErrors } from '../support/browser';
import { reply, startScriptedOpenAiServer, type ScriptedOpenAiServer } from '../support/scripted-openai-server';
import { callServerMethod, startServerProcess, type ServerProcess } from '../support/server-process';

const SALES_BY_CATEGORY = `SELECT p.category, ROUND(SUM(l.quantity * l.unit_price), 2) AS revenue
FROM order_lines l JOIN products p ON p.id = l.product_id GROUP BY p.category ORDER BY revenue DESC`;

describe('databases: the agent answers from the demo shop, the panel shows the rows', () => {
  let llm: ScriptedOpenAiServer;
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    llm = await startScriptedOpenAiServer({ models: ['scripted-model'] });
    server = await startServerProcess();
    await callServerMethod(server, 'providers.save', { id: 'scripted', kind: 'custom', name: 'Scripted', baseUrl: llm.baseUrl, maxRetries: 0 });
    await callServerMethod(server, 'settings.set', { key: 'agent.console.model', value: { providerId: 'scripted', model: 'scripted-model' } });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 1000 } })).newPage();
    errors = watchPageErrors(page);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await llm?.close();
  });

  it('runs the SQL the agent writes on the demo database and answers with the rows', async () => {
    llm.enqueue(reply.toolCall('db_demo_shop_query', { sql: SALES_BY_CATEGORY }), reply.text('Equipment brings in the most revenue, then coffee.'));
    await page.goto(server.consoleUrl);
    await expect.poll(() => page.getByTestId('connection-indicator').textContent()).toContain('Connected');
    const composer = page.getByLabel('Message to the agent');
    await composer.fill('Which product category sells the most?');
    await composer.press('Enter');
    await expect.poll(() => page.locator('article.answer').last().textContent(), { timeout: 15_000 }).toContain('Equipment brings in the most revenue');
    // The rows the model got are the database's: its second request carries the tool result.
    const toolMessage = (llm.chatRequests[1]?.body?.messages ?? []).find((message) => message.role === 'tool');
    expect(String(toolMessage?.content)).toContain('"columns":["category","revenue"]');
    expect(String(toolMessage?.content)).toContain('Equipment');
  });

  it('shows the agent’s query in the history; run again, it gives a table and a chart', async () => {
    await page.getByRole('navigation', { name: 'Panels' }).getByRole('button', { name: 'Databases' }).click();
    await expect.poll(() => page.getByRole('button', { name: /demo_shop/ }).count()).toBe(1);
    await page.getByRole('button', { name: /ROUND\(SUM/ }).first().click();
    await page.getByRole('button', { name: /^Run/ }).click();
    await expect.poll(() => page.getByTestId('query-summary').textContent()).toMatch(/^4 rows in \d+ ms/);
    expect(await page.getByRole('table', { name: 'Query result' }).getByRole('row').count()).toBe(5);
    await expect.poll(() => page.getByTestId('result-chart').getAttribute('data-kind')).toBe('pie');
    await page.getByRole('button', { name: 'bar', exact: true }).click();
    await expect.poll(() => page.getByTestId('result-chart').getAttribute('data-kind')).toBe('bar');

    await page.getByLabel('SQL').fill('DELETE FROM orders');
    await page.getByRole('button', { name: /^Run/ }).click();
    await expect.poll(() => page.getByTestId('query-error').textContent()).toContain('refused');
    await mkdir(TEST_OUTPUT_DIR, { recursive: true });
    await page.screenshot({ path: join(TEST_OUTPUT_DIR, 'databases-panel.png'), fullPage: true });
    expect(errors).toEqual([]);
  });
});
