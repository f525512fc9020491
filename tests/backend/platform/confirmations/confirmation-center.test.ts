import { describe, expect, it } from 'vitest';
import type { Confirmation, EventData, EventName } from '#protocol';
import { ConfirmationCenter } from '../../../../backend/platform/confirmations';

function centerWithLog(timeoutMs = 60_000) {
  const published: Array<{ event: EventName; data: unknown }> = [];
  const center = new ConfirmationCenter(
    <E extends EventName>(event: E, data: EventData<E>) => void published.push({ event, data }),
    () => Promise.resolve(timeoutMs),
  );
  return { center, published };
}

const request = (channel: 'console' | 'whatsapp' | 'api', signal = new AbortController().signal) => ({
  source: 'actions',
  tool: 'createBooking',
  summary: 'createBooking: slot 9:00',
  arguments: { slot: '9:00' },
  channel,
  conversationId: 'c1',
  signal,
});

describe('ConfirmationCenter', () => {
  it('refuses channels nobody can answer on, and accepts WhatsApp once a presenter is there', async () => {
    const { center } = centerWithLog();
    await expect(center.request(request('api'))).rejects.toMatchObject({ code: 'forbidden' });
    await expect(center.request(request('whatsapp'))).rejects.toMatchObject({ code: 'forbidden' });

    const presented: Confirmation[] = [];
    const presenter = center.presentOn('whatsapp', { present: (confirmation) => Promise.resolve(void presented.push(confirmation)) });
    const outcome = center.request(request('whatsapp'));
    await Promise.resolve();
    await Promise.resolve();
    expect(presented).toHaveLength(1);
    expect(center.waitingIn('c1')?.id).toBe(presented[0]!.id);
    center.decide(presented[0]!.id, true);
    expect(await outcome).toBe('approved');
    expect(() => center.decide(presented[0]!.id, true)).toThrow(/No call is waiting/);

    presenter.dispose();
    expect(center.canConfirmOn('whatsapp')).toBe(false);
  });

  it('refuses the call when the question could not be delivered, and when it expires', async () => {
    const { center, published } = centerWithLog(30);
    center.presentOn('whatsapp', { present: () => Promise.reject(new Error('Graph API down')) });
    expect(await center.request(request('whatsapp'))).toBe('cancelled');
    expect(await center.request(request('console'))).toBe('expired');
    expect(published.map((entry) => entry.event)).toEqual(['confirmation.requested', 'confirmation.resolved', 'confirmation.requested', 'confirmation.resolved']);
    expect(center.list()).toEqual([]);
  });

  it('a stopped turn withdraws its question', async () => {
    const { center } = centerWithLog();
    const stop = new AbortController();
    const outcome = center.request(request('console', stop.signal));
    await Promise.resolve();
    expect(center.list()).toHaveLength(1);
    stop.abort();
    expect(await outcome).toBe('cancelled');
    expect(center.list()).toEqual([]);
  });
});
