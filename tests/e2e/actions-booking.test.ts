import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBookingServer, type BookingServer } from '../../resources/actions/demo-booking/booking-server.mjs';
import { launchChromium, TEST_OUTPUT_DIR, watchPageErrors } from '../support/browser';
import { reply, startScriptedOpenAiServer, type ScriptedOpenAiServer } from '../support/scripted-openai-server';
import { callServerMethod, startServerProcess, type ServerProcess } from '../support/server-process';

const BOOKING = { body: { serviceId: 'oil-change', slotId: 'north-2027-01-05-9', car: { plate: 'AB-123-CD', model: 'VW Golf' }, customerName: 'Ann Lee' } };

describe('actions: book through the demo garage API from the console', () => {
  let llm: ScriptedOpenAiServer;
  let garage: BookingServer;
  let server: ServerProcess;
  let browser: Browser;
  let chat: Page;
  let actions: Page;
  let errors: string[][];

  beforeAll(async () => {
    llm = await startScriptedOpenAiServer({ models: ['scripted-model'] });
    garage = await startBookingServer();
    server = await startServerProcess();
    await callServerMethod(server, 'providers.save', { id: 'scripted', kind: 'custom', name: 'Scripted', baseUrl: llm.baseUrl, maxRetries: 0 });
    await callServerMethod(server, 'settings.set', { key: 'agent.console.model', value: { providerId: 'scripted', model: 'scripted-model' } });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    chat = await context.newPage();
    actions = await context.newPage();
    errors = [watchPageErrors(chat), watchPageErrors(actions)];
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await garage?.close();
    await llm?.close();
  });

  const open = async (page: Page, panel: string) => {
    await page.goto(server.consoleUrl);
    await expect.poll(() => page.getByTestId('connection-indicator').textContent()).toContain('Connected');
    await page.getByRole('navigation', { name: 'Panels' }).getByRole('button', { name: panel }).click();
  };

  it('imports the demo API, asks to book, approves the card, and the booking exists in the demo API', async () => {
    await open(actions, 'Actions');
    await actions.getByLabel('Document URL').fill(`${garage.url}/openapi.json`);
    await actions.getByRole('button', { name: 'Read operations' }).click();
    await expect.poll(() => actions.getByRole('list', { name: 'Operations' }).getByRole('checkbox').count()).toBe(7);
    await actions.getByLabel('POST /bookings → createBooking').check();
    await actions.getByRole('button', { name: 'Import 6 operation(s)' }).click();
    await expect.poll(() => actions.getByText('Imported 6 tool(s) from Demo garage booking API').count()).toBe(1);
    expect(await actions.getByLabel('Ask before createBooking').isChecked()).toBe(true);

    await open(chat, 'Conversation');
    llm.enqueue(reply.toolCall('createBooking', BOOKING), reply.text('Booked: B-1 on 5 January at 09:00, north branch.'));
    const composer = chat.getByLabel('Message to the agent');
    await composer.fill('Book an oil change for my Golf AB-123-CD, 5 January 9:00 at north, name Ann Lee');
    await composer.press('Enter');

    // The card shows in the conversation (where the operator is) and in the Actions panel: the exact
    // call, and nothing is booked until it is approved.
    const card = chat.getByTestId('confirmation-card');
    const actionsCard = actions.getByTestId('confirmation-card');
    await expect.poll(() => card.textContent(), { timeout: 10_000 }).toContain('createBooking');
    expect(await card.textContent()).toContain('AB-123-CD');
    await expect.poll(() => actionsCard.textContent()).toContain('createBooking');
    await expect.poll(() => chat.locator('.thread [role=status]').textContent()).toBe('Waiting for your approval');
    expect(garage.bookings()).toEqual([]);
    await mkdir(TEST_OUTPUT_DIR, { recursive: true });
    await chat.screenshot({ path: join(TEST_OUTPUT_DIR, 'actions-confirmation.png'), fullPage: true });
    await card.getByRole('button', { name: 'Approve' }).click();

    await expect.poll(() => garage.bookings().length, { timeout: 10_000 }).toBe(1);
    expect(garage.bookings()[0]).toMatchObject({ bookingId: 'B-1', slotId: 'north-2027-01-05-9', status: 'booked' });
    await expect.poll(() => chat.getByText('Booked: B-1').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await expect.poll(() => card.count()).toBe(0);
    await expect.poll(() => actionsCard.count()).toBe(0);
    await expect.poll(() => actions.getByRole('table').last().textContent()).toContain('createBooking');
    expect(errors.flat()).toEqual([]);
  });
});
