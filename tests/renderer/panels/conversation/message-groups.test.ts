import { describe, expect, it } from 'vitest';
import type { Message } from '#protocol';
import { groupMessages, joinParagraphs } from '../../../../renderer/src/panels/conversation/message-groups';

let seq = 0;
function message(partial: Partial<Message> & Pick<Message, 'role'>): Message {
  seq += 1;
  return { id: `m${seq}`, conversationId: 'c1', content: '', toolCalls: [], status: 'complete', createdAt: new Date(seq * 1000).toISOString(), ...partial };
}

const meta = { providerId: 'p', model: 'm', fallbacks: [], totalMs: 1200, sources: ['get_current_time'], toolFailures: [] };

describe('groupMessages', () => {
  it('makes one answer of the tool rounds and the final text after a user message', () => {
    const call = { id: 'call_1', name: 'get_current_time', arguments: '{}' };
    const result = { callId: 'call_1', name: 'get_current_time', ok: true, content: '{"iso":"2025-01-01T00:00:00Z"}', ms: 3 };
    const entries = groupMessages([
      message({ role: 'system', content: 'ignored' }),
      message({ role: 'user', content: 'What time is it?' }),
      message({ role: 'assistant', content: 'Let me check.', toolCalls: [call] }),
      message({ role: 'tool', toolResult: result }),
      message({ id: 'final', role: 'assistant', content: 'It is midnight.', meta }),
      message({ role: 'user', content: 'Thanks' }),
    ]);
    expect(entries).toEqual([
      { kind: 'user', id: expect.any(String), text: 'What time is it?' },
      { kind: 'answer', id: 'final', text: 'Let me check.\n\nIt is midnight.', tools: [{ call, result }], meta, status: 'complete' },
      { kind: 'user', id: expect.any(String), text: 'Thanks' },
    ]);
  });

  it('keeps a stopped answer with its status', () => {
    const entries = groupMessages([message({ role: 'user', content: 'Hi' }), message({ role: 'assistant', content: 'Partial', status: 'cancelled' })]);
    expect(entries[1]).toMatchObject({ kind: 'answer', text: 'Partial', status: 'cancelled', tools: [] });
  });

  it('shows a tool result whose call is missing as its own card', () => {
    const result = { callId: 'lost', name: 'get_current_time', ok: false, content: '{"error":"x"}', ms: 1 };
    const entries = groupMessages([message({ role: 'user', content: 'Hi' }), message({ role: 'tool', toolResult: result })]);
    expect(entries[1]).toMatchObject({ kind: 'answer', tools: [{ call: { id: 'lost', name: 'get_current_time', arguments: '' }, result }] });
  });
});

describe('joinParagraphs', () => {
  it('separates text before and after a tool round by one blank line', () => {
    expect(joinParagraphs('Checking… \n', '\nDone.')).toBe('Checking…\n\nDone.');
    expect(joinParagraphs('', 'Done.')).toBe('Done.');
    expect(joinParagraphs('Only', '  ')).toBe('Only');
  });
});
