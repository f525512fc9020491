import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { describe, expect, it, vi } from 'vitest';
import { ParleyError, topics, type MethodName, type ParamsOf, type ResultOf } from '#protocol';
import { markTopicStale } from '../../../renderer/src/server-state/hooks';
import { conversationMessagesQuery, settingsQuery, speechModelsQuery, type Requester } from '../../../renderer/src/server-state/queries';
import { queryKeys, queryKeysOfTopic } from '../../../renderer/src/server-state/query-keys';

/** Answers requests from a table of handlers, like the backend would. */
function fakeRequester(handlers: Partial<{ [M in MethodName]: (params: ParamsOf<M>) => ResultOf<M> | Promise<ResultOf<M>> }>): Requester & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    request: async (method, params) => {
      calls.push(method);
      const handler = handlers[method] as ((params: unknown) => unknown) | undefined;
      if (!handler) throw new ParleyError('unknown_method', method);
      return (await handler(params)) as never;
    },
  };
}

describe('queryKeysOfTopic', () => {
  it('names the queries each topic keeps fresh', () => {
    expect(queryKeysOfTopic(topics.settings)).toEqual([queryKeys.settings]);
    expect(queryKeysOfTopic(topics.conversations)).toEqual([queryKeys.conversationLists]);
    expect(queryKeysOfTopic(topics.conversation('c-1'))).toEqual([queryKeys.conversationMessages('c-1')]);
    expect(queryKeysOfTopic(topics.speechModels)).toEqual([queryKeys.speechModels]);
    expect(queryKeysOfTopic('whatsapp.inbox')).toEqual([]);
  });
});

describe('markTopicStale (taking a topic again)', () => {
  it('reloads what a shown panel displays once, without starting a load under way over', async () => {
    const queryClient = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
    let resolve: (value: unknown[]) => void = () => undefined;
    const queryFn = vi.fn(() => new Promise<unknown[]>((r) => (resolve = r)));
    const observer = new QueryObserver(queryClient, { queryKey: queryKeys.conversationList(''), queryFn });
    const off = observer.subscribe(() => undefined);
    expect(queryFn).toHaveBeenCalledTimes(1);
    markTopicStale(queryClient, topics.conversations);
    expect(queryFn).toHaveBeenCalledTimes(1);
    resolve([]);
    await vi.waitFor(() => expect(observer.getCurrentResult().isSuccess).toBe(true));

    markTopicStale(queryClient, topics.conversations);
    await vi.waitFor(() => expect(queryFn).toHaveBeenCalledTimes(2));
    off();
  });
});

describe('server-state queries', () => {
  it('fills settings the backend did not send with their defaults', async () => {
    const client = fakeRequester({ 'settings.list': () => ({ settings: { 'ui.theme': 'dark' } }) });
    const settings = await new QueryClient().fetchQuery(settingsQuery(client));
    expect(settings['ui.theme']).toBe('dark');
    expect(settings['agent.maxSteps']).toBe(8);
  });

  it('answers null for the messages of a conversation that is gone, instead of failing', async () => {
    const client = fakeRequester({
      'conversations.messages': () => {
        throw new ParleyError('not_found', 'No such conversation');
      },
    });
    await expect(new QueryClient().fetchQuery(conversationMessagesQuery(client, 'gone'))).resolves.toBeNull();
  });

  it('keys downloads by model id', async () => {
    const client = fakeRequester({
      'speech.models.list': () => ({ models: [], downloads: [{ id: 'tiny.en', state: 'downloading', receivedBytes: 5 }] }),
    });
    const list = await new QueryClient().fetchQuery(speechModelsQuery(client));
    expect(list.downloads['tiny.en']).toMatchObject({ receivedBytes: 5 });
  });
});
