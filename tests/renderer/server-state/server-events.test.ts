import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { describe, expect, it, vi } from 'vitest';
import { defaultSettings, type EventData, type EventName, type Settings } from '#protocol';
import { createQueryClient } from '../../../renderer/src/server-state/query-client';
import type { SpeechModelList } from '../../../renderer/src/server-state/queries';
import { queryKeys } from '../../../renderer/src/server-state/query-keys';
import { connectServerState, type EventSource } from '../../../renderer/src/server-state/server-events';

/** Stands in for the ControlClient: `emit` plays an event the backend pushed. */
class FakeEvents implements EventSource {
  private readonly listeners = new Map<string, Set<(data: unknown) => void>>();

  on<E extends EventName>(event: E, listener: (data: EventData<E>) => void): () => void {
    const set = this.listeners.get(event) ?? new Set();
    this.listeners.set(event, set);
    set.add(listener as (data: unknown) => void);
    return () => set.delete(listener as (data: unknown) => void);
  }

  emit<E extends EventName>(event: E, data: EventData<E>): void {
    for (const listener of this.listeners.get(event) ?? []) listener(data);
  }

  get listenerCount(): number {
    return [...this.listeners.values()].reduce((sum, set) => sum + set.size, 0);
  }
}

function setup() {
  const queryClient = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
  const events = new FakeEvents();
  const reportError = vi.fn();
  const stop = connectServerState(queryClient, events, { reportError });
  const invalidated = (key: readonly unknown[]) => queryClient.getQueryState(key)?.isInvalidated;
  return { queryClient, events, reportError, stop, invalidated };
}

const whisper = { id: 'base.en', kind: 'whisper' as const, name: 'Whisper base.en', installed: false, custom: false };

describe('connectServerState', () => {
  it('puts a changed setting into the settings query', () => {
    const { queryClient, events } = setup();
    queryClient.setQueryData<Settings>(queryKeys.settings, defaultSettings());
    events.emit('settings.changed', { key: 'ui.theme', value: 'dark' });
    expect(queryClient.getQueryData<Settings>(queryKeys.settings)?.['ui.theme']).toBe('dark');
    expect(queryClient.getQueryData<Settings>(queryKeys.settings)?.['agent.maxSteps']).toBe(8);
  });

  it('leaves settings not loaded yet alone (the load brings the value)', () => {
    const { queryClient, events } = setup();
    events.emit('settings.changed', { key: 'ui.theme', value: 'dark' });
    expect(queryClient.getQueryData(queryKeys.settings)).toBeUndefined();
  });

  it('marks every conversation list and that conversation’s messages stale on conversations.changed, and no other thread', () => {
    const { queryClient, events, invalidated } = setup();
    queryClient.setQueryData(queryKeys.conversationList(''), []);
    queryClient.setQueryData(queryKeys.conversationList('paris'), []);
    queryClient.setQueryData(queryKeys.conversationMessages('c1'), []);
    queryClient.setQueryData(queryKeys.conversationMessages('c2'), []);
    queryClient.setQueryData(queryKeys.providers, []);
    events.emit('conversations.changed', { conversationId: 'c1' });
    expect(invalidated(queryKeys.conversationList(''))).toBe(true);
    expect(invalidated(queryKeys.conversationList('paris'))).toBe(true);
    expect(invalidated(queryKeys.conversationMessages('c1'))).toBe(true);
    expect(invalidated(queryKeys.conversationMessages('c2'))).toBe(false);
    expect(invalidated(queryKeys.providers)).toBe(false);
  });

  it('refetches a shown conversation list when it changed', async () => {
    const { queryClient, events } = setup();
    const list = vi.fn().mockResolvedValueOnce([]).mockResolvedValueOnce([{ id: 'c1' }]);
    // An observer makes the query active, as a mounted panel does.
    const watching = new QueryObserver(queryClient, { queryKey: queryKeys.conversationList(''), queryFn: list });
    const off = watching.subscribe(() => undefined);
    await vi.waitFor(() => expect(watching.getCurrentResult().isSuccess).toBe(true));
    events.emit('conversations.changed', { conversationId: 'c1' });
    await vi.waitFor(() => expect(queryClient.getQueryData(queryKeys.conversationList(''))).toEqual([{ id: 'c1' }]));
    expect(list).toHaveBeenCalledTimes(2);
    off();
  });

  it('follows a download in the speech model list, and reloads the list once it is installed', () => {
    const { queryClient, events, invalidated } = setup();
    queryClient.setQueryData<SpeechModelList>(queryKeys.speechModels, { models: [whisper], downloads: {} });
    events.emit('speech.models.progress', { id: 'base.en', state: 'downloading', receivedBytes: 10, totalBytes: 100 });
    expect(queryClient.getQueryData<SpeechModelList>(queryKeys.speechModels)?.downloads['base.en']).toMatchObject({ receivedBytes: 10 });
    expect(invalidated(queryKeys.speechModels)).toBe(false);

    events.emit('speech.models.progress', { id: 'base.en', state: 'installed', receivedBytes: 100, totalBytes: 100 });
    expect(queryClient.getQueryData<SpeechModelList>(queryKeys.speechModels)?.downloads).toEqual({});
    expect(invalidated(queryKeys.speechModels)).toBe(true);
  });

  it('keeps a failed download in the list and reports it by the model’s name', () => {
    const { queryClient, events, reportError } = setup();
    queryClient.setQueryData<SpeechModelList>(queryKeys.speechModels, { models: [whisper], downloads: {} });
    events.emit('speech.models.progress', { id: 'base.en', state: 'failed', receivedBytes: 10, error: 'disk full' });
    expect(queryClient.getQueryData<SpeechModelList>(queryKeys.speechModels)?.downloads['base.en']?.state).toBe('failed');
    expect(reportError).toHaveBeenCalledWith('Voice models', expect.objectContaining({ message: 'Download of Whisper base.en failed: disk full' }));
  });

  it('marks everything stale on every hello (a reconnect may have missed any event), and stops listening when stopped', () => {
    const { queryClient, events, invalidated, stop } = setup();
    queryClient.setQueryData(queryKeys.providers, []);
    queryClient.setQueryData(queryKeys.settings, defaultSettings());
    events.emit('system.hello', { connectionId: 'c', version: '1', mode: 'server', protocolVersion: 1 });
    expect(invalidated(queryKeys.providers)).toBe(true);
    expect(invalidated(queryKeys.settings)).toBe(true);
    stop();
    expect(events.listenerCount).toBe(0);
  });
});

describe('createQueryClient', () => {
  it('reports a failed query under the source its meta names, except while disconnected', async () => {
    const reportError = vi.fn();
    let connected = true;
    const queryClient = createQueryClient({ reportError, isConnected: () => connected });
    const failure = new Error('refused');
    await queryClient.fetchQuery({ queryKey: ['x'], queryFn: () => Promise.reject(failure), meta: { source: 'Models' } }).catch(() => undefined);
    expect(reportError).toHaveBeenCalledWith('Models', failure);
    connected = false;
    await queryClient.fetchQuery({ queryKey: ['y'], queryFn: () => Promise.reject(failure) }).catch(() => undefined);
    expect(reportError).toHaveBeenCalledTimes(1);
  });
});
