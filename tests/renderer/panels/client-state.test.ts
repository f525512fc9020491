import { describe, expect, it } from 'vitest';
import type { Conversation, Message, Provider } from '#protocol';
import { conversationToOpen } from '../../../renderer/src/panels/conversation/conversations-store';
import { visibleEntries } from '../../../renderer/src/panels/conversation/message-groups';
import { effectiveSelection } from '../../../renderer/src/panels/models/providers-store';

const conversation = (id: string): Conversation => ({ id, title: id, channel: 'console', createdAt: '', updatedAt: '', messageCount: 0 });
const provider = (id: string): Provider => ({ id, kind: 'custom', name: id, baseUrl: 'http://x', defaultModel: '', timeoutMs: 60_000, maxRetries: 1, extraHeaders: {}, hasApiKey: false });
const message = (id: string, role: Message['role'], content: string): Message => ({ id, conversationId: 'c', role, content, toolCalls: [], status: 'complete', createdAt: '' });

describe('conversationToOpen', () => {
  it('keeps the remembered conversation, else opens the latest', () => {
    const list = [conversation('new'), conversation('old')];
    expect(conversationToOpen('old', list)).toBe('old');
    expect(conversationToOpen('deleted', list)).toBe('new');
    expect(conversationToOpen(null, list)).toBe('new');
    expect(conversationToOpen('old', [])).toBeNull();
  });
});

describe('effectiveSelection', () => {
  it('shows the chosen provider, a new one being added, or the first when the chosen one is gone', () => {
    const providers = [provider('a'), provider('b')];
    expect(effectiveSelection({ kind: 'existing', id: 'b' }, providers)).toEqual({ kind: 'existing', id: 'b' });
    expect(effectiveSelection({ kind: 'existing', id: 'gone' }, providers)).toEqual({ kind: 'existing', id: 'a' });
    expect(effectiveSelection(null, providers)).toEqual({ kind: 'existing', id: 'a' });
    expect(effectiveSelection({ kind: 'new', preset: 'openai' }, [])).toEqual({ kind: 'new', preset: 'openai' });
    expect(effectiveSelection(null, undefined)).toBeNull();
  });
});

describe('visibleEntries', () => {
  const stored = [message('u1', 'user', 'Hi'), message('a1', 'assistant', 'Hello')];

  it('shows the message being sent until the backend stored it', () => {
    const entries = visibleEntries(stored, { kind: 'send', turnId: 't', userText: 'More?' });
    expect(entries.map((e) => e.text)).toEqual(['Hi', 'Hello', 'More?']);
  });

  it('hides what the backend stored of the running turn’s answer (messages reloaded mid-turn): the live answer shows it', () => {
    const userMessage = message('u2', 'user', 'More?');
    const reloaded = [...stored, userMessage, message('a2', 'assistant', 'Yes.')];
    const entries = visibleEntries(reloaded, { kind: 'send', turnId: 't', userText: 'More?', userMessage });
    expect(entries.map((e) => e.text)).toEqual(['Hi', 'Hello', 'More?']);
  });

  it('hides the answer a regeneration replaces', () => {
    expect(visibleEntries(stored, { kind: 'regenerate', turnId: 't', userText: '' }).map((e) => e.text)).toEqual(['Hi']);
  });
});
