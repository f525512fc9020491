import { describe, expect, it } from 'vitest';
import { graphFailure } from '../../../backend/whatsapp/cloud/graph-errors';
import { splitForWhatsApp } from '../../../backend/whatsapp/outbound/split-text';

describe('splitting replies for WhatsApp', () => {
  it('leaves a short reply whole', () => {
    expect(splitForWhatsApp('Hello there.')).toEqual(['Hello there.']);
  });

  it('cuts at the last paragraph break, then sentence end, before the limit', () => {
    expect(splitForWhatsApp('First para one. Two.\n\nSecond para.', 30)).toEqual(['First para one. Two.', 'Second para.']);
    expect(splitForWhatsApp('One sentence here. Another one follows here.', 30)).toEqual(['One sentence here.', 'Another one follows here.']);
  });

  it('cuts a word longer than the limit hard, and never splits an emoji in half', () => {
    const parts = splitForWhatsApp('x'.repeat(9) + '😀' + 'y'.repeat(5), 10);
    expect(parts.join('')).toBe('x'.repeat(9) + '😀' + 'y'.repeat(5));
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(10);
      expect(part).not.toMatch(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/);
    }
  });
});

describe('classifying Graph errors', () => {
  const failure = (status: number, code?: number) => graphFailure(status, code === undefined ? {} : { error: { code, message: `m${code}` } });

  it('retries throttling, temporary errors and 5xx', () => {
    for (const code of [1, 2, 4, 80007, 130429, 131000, 131016, 131056]) expect(failure(400, code).retryable).toBe(true);
    expect(failure(503).retryable).toBe(true);
  });

  it('does not retry what retrying cannot fix, and says what to do', () => {
    for (const code of [100, 131026, 131047, 131051, 131053, 190, 368, 131031]) expect(failure(400, code).retryable).toBe(false);
    expect(failure(400, 131047).windowClosed).toBe(true);
    expect(failure(401, 190).message).toContain('system-user token');
  });
});
