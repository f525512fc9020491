import { describe, expect, it } from 'vitest';
import type { Message } from '#protocol';
import { currentSession } from '../../../backend/agent/turns/session-history';

function message(id: string, createdAt: string): Message {
  return { id, conversationId: 'c', role: 'user', content: id, toolCalls: [], status: 'complete', createdAt };
}

describe('currentSession (a channel memory with an idle expiry)', () => {
  const messages = [message('old', '2026-12-01T08:00:00Z'), message('a', '2026-12-02T09:00:00Z'), message('b', '2026-12-02T09:30:00Z')];
  const now = Date.parse('2026-12-02T10:00:00Z');

  it('keeps what follows the last silence longer than the expiry', () => {
    expect(currentSession(messages, 60 * 60_000, now).map((entry) => entry.id)).toEqual(['a', 'b']);
  });

  it('starts afresh when the contact was silent longer than the expiry', () => {
    expect(currentSession(messages, 10 * 60_000, now)).toEqual([]);
  });

  it('keeps everything without an expiry', () => {
    expect(currentSession(messages, undefined, now)).toHaveLength(3);
  });
});
