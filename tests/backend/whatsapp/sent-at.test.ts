import { describe, expect, it } from 'vitest';
import { sentAtMs } from '../../../backend/whatsapp/inbound/inbound-message';

describe('when a contact sent a message (providers give whole seconds)', () => {
  it('takes the milliseconds from the receipt when the webhook arrives within that second', () => {
    expect(sentAtMs(1_796_225_555, 1_796_225_555_491)).toBe(1_796_225_555_491);
  });

  it('keeps the provider second for a late re-delivery, and a receipt before it (clock skew)', () => {
    expect(sentAtMs(1_796_225_555, 1_796_225_600_000)).toBe(1_796_225_555_000);
    expect(sentAtMs(1_796_225_555, 1_796_225_554_900)).toBe(1_796_225_555_000);
  });

  it('falls back to the receipt for a missing or broken timestamp', () => {
    expect(sentAtMs(Number.NaN, 42)).toBe(42);
    expect(sentAtMs(0, 42)).toBe(42);
  });
});
