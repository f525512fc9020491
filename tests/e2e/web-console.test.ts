import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, TEST_OUTPUT_DIR, watchPageErrors } from '../support/browser';
import { startServerProcess, type ServerProcess } from '../support/server-process';

const PANELS = ['Conversation', 'Models', 'Voice', 'Databases', 'Documents', 'Actions', 'WhatsApp', 'Diagnostics'];

describe('web console', () => {
  let server: ServerProcess;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServerProcess();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('opens from the printed link, shows every panel and a green connection', async () => {
    const page = await browser.newPage();
    const errors = watchPageErrors(page);
    await page.goto(server.consoleUrl);

    await expect.poll(() => page.getByTestId('connection-indicator').textContent()).toContain('Connected (server');
    // The token must not stay in the address bar once read.
    expect(page.url()).not.toContain(server.token);
    const nav = page.getByRole('navigation', { name: 'Panels' });
    for (const label of PANELS) await expect.poll(() => nav.getByRole('button', { name: label }).count()).toBe(1);

    // Every panel loads its own code when first shown, and opens without an error.
    for (const label of PANELS) {
      await nav.getByRole('button', { name: label }).click();
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(label);
    }

    await nav.getByRole('button', { name: 'Diagnostics' }).click();
    await expect.poll(() => page.getByRole('cell', { name: 'store' }).count()).toBe(1);
    await expect.poll(() => page.getByTestId('round-trip').textContent()).toMatch(/\d+\.\d ms/);
    expect(await page.getByText('SQLite').count()).toBeGreaterThan(0);

    await mkdir(TEST_OUTPUT_DIR, { recursive: true });
    await page.screenshot({ path: join(TEST_OUTPUT_DIR, 'web-console.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('asks for the token, refuses a wrong one, accepts the right one and keeps it for the tab', async () => {
    const page = await browser.newPage();
    await page.goto(server.url);
    await expect.poll(() => page.getByRole('heading', { name: 'Connect to Parley' }).count()).toBe(1);

    await page.getByLabel('Access token').fill('definitely-not-the-token');
    await page.getByRole('button', { name: 'Connect' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('missing or wrong token');

    await page.getByLabel('Access token').fill(server.token);
    await page.getByRole('button', { name: 'Connect' }).click();
    await expect.poll(() => page.getByTestId('connection-indicator').textContent()).toContain('Connected');

    await page.reload();
    await expect.poll(() => page.getByTestId('connection-indicator').textContent()).toContain('Connected');
    await page.close();
  });

  it('switches panels from the keyboard and applies the chosen theme for every tab', async () => {
    const page = await browser.newPage();
    await page.goto(server.consoleUrl);
    await expect.poll(() => page.getByTestId('connection-indicator').textContent()).toContain('Connected');
    await page.keyboard.press('Alt+8');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Diagnostics');

    const other = await browser.newPage();
    await other.goto(server.consoleUrl);
    await expect.poll(() => other.getByTestId('connection-indicator').textContent()).toContain('Connected');

    await page.getByLabel('Theme').selectOption('dark');
    await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe('dark');
    await expect.poll(() => other.locator('html').getAttribute('data-theme')).toBe('dark');
    await page.getByLabel('Theme').selectOption('system');
    await page.close();
    await other.close();
  });
});

describe('web console across a backend restart', () => {
  it('shows the lost connection and reconnects by itself when the backend is back', async () => {
    const first = await startServerProcess();
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(first.consoleUrl);
      await expect.poll(() => page.getByTestId('connection-indicator').textContent()).toContain('Connected');

      const port = Number(new URL(first.url).port);
      await first.stop({ keepData: true });
      await expect.poll(() => page.getByTestId('connection-indicator').textContent()).toContain('Disconnected');

      const second = await startServerProcess({ dataDir: first.dataDir, port, env: { PARLEY_TOKEN: first.token } });
      try {
        await expect.poll(() => page.getByTestId('connection-indicator').textContent(), { timeout: 20_000 }).toContain('Connected');
      } finally {
        await second.stop();
      }
    } finally {
      await browser.close();
    }
  });
});
