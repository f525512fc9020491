import { describe, expect, it } from 'vitest';
import type { WhatsAppMessage } from '#protocol';
import { deliveryTicks, inboundNote } from '../../../../renderer/src/panels/whatsapp/delivery-ticks';

const message = (overrides: Partial<WhatsAppMessage>): WhatsAppMessage => ({
  id: 'm',
  contactId: 'c',
  direction: 'out',
  kind: 'text',
  text: 'hi',
  author: 'agent',
  status: 'sent',
  error: null,
  note: null,
  media: null,
  choices: null,
  timestamp: 0,
  ...overrides,
});

describe('WhatsApp delivery ticks', () => {
  it('shows one tick for sent, two for delivered, two highlighted for read', () => {
    expect(deliveryTicks(message({ status: 'sent' }))).toMatchObject({ ticks: '✓', tone: 'sent' });
    expect(deliveryTicks(message({ status: 'delivered' }))).toMatchObject({ ticks: '✓✓', tone: 'sent' });
    expect(deliveryTicks(message({ status: 'read' }))).toMatchObject({ ticks: '✓✓', tone: 'read' });
  });

  it('a failed message carries the error text; a retried one says why it waits', () => {
    expect(deliveryTicks(message({ status: 'failed', error: 'Graph error 131026: undeliverable' })).label).toBe('Failed: Graph error 131026: undeliverable');
    expect(deliveryTicks(message({ status: 'pending', error: 'Graph error 130429 (will retry)' })).label).toContain('130429');
  });

  it('inbound notes say when a message is held for the operator or skipped', () => {
    expect(inboundNote(message({ direction: 'in', status: 'held' }))).toContain('operator');
    expect(inboundNote(message({ direction: 'in', status: 'skipped', error: 'Opt-out keyword "STOP"' }))).toContain('STOP');
    expect(inboundNote(message({ direction: 'in', status: 'answered' }))).toBeNull();
    // What the bridge did with an answered message: a confirmation decided, a document added.
    expect(inboundNote(message({ direction: 'in', status: 'answered', note: 'Confirmed by the contact: createBooking' }))).toBe('Confirmed by the contact: createBooking');
  });
});
