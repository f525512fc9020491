import type { QueryClient } from '@tanstack/react-query';
import { ParleyError, type EventData, type EventName, type ModelDownloadProgress, type Settings } from '#protocol';
import type { SpeechModelList } from './queries';
import { queryKeys } from './query-keys';

/** What the bridge needs of the ControlClient (a fake one in tests). */
export interface EventSource {
  on<E extends EventName>(event: E, listener: (data: EventData<E>) => void): () => void;
}

export interface ServerEventHooks {
  /** A download failed (shown as a toast: it may have run while another panel was shown). */
  reportError(source: string, error: unknown): void;
}

/**
 * Keeps the query cache in step with the backend. Events arrive only for topics some panel holds
 * (useTopic), so this listens for the app's lifetime and costs nothing for topics nobody shows.
 * - system.hello (every reconnect): everything may have changed meanwhile; all queries are stale.
 * - settings.changed: the settings query takes the new value.
 * - conversations.changed: the conversation lists and that conversation's messages are stale.
 * - speech.models.progress: the model list takes the download's progress; an install reloads it.
 */
export function connectServerState(queryClient: QueryClient, client: EventSource, hooks: ServerEventHooks): () => void {
  const offs = [
    client.on('system.hello', () => void queryClient.invalidateQueries()),
    client.on('settings.changed', ({ key, value }) =>
      queryClient.setQueryData<Settings>(queryKeys.settings, (settings) => settings && { ...settings, [key]: value }),
    ),
    client.on('conversations.changed', ({ conversationId }) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.conversationLists });
      void queryClient.invalidateQueries({ queryKey: queryKeys.conversationMessages(conversationId) });
    }),
    client.on('speech.models.progress', (progress) => {
      queryClient.setQueryData<SpeechModelList>(queryKeys.speechModels, (list) => list && withDownloadProgress(list, progress));
      if (progress.state === 'installed') void queryClient.invalidateQueries({ queryKey: queryKeys.speechModels });
      if (progress.state === 'failed') {
        const name = queryClient.getQueryData<SpeechModelList>(queryKeys.speechModels)?.models.find((model) => model.id === progress.id)?.name ?? progress.id;
        hooks.reportError(
          'Voice models',
          new ParleyError('unavailable', `Download of ${name} failed${progress.error ? `: ${progress.error}` : ''}`, {
            hint: 'Check the network connection and the free disk space, then press Download again.',
          }),
        );
      }
    }),
  ];
  return () => offs.forEach((off) => off());
}

/** A finished or cancelled download leaves the list of downloads; a failed one stays until the next try. */
export function withDownloadProgress(list: SpeechModelList, progress: ModelDownloadProgress): SpeechModelList {
  const downloads = { ...list.downloads };
  if (progress.state === 'installed' || progress.state === 'cancelled') delete downloads[progress.id];
  else downloads[progress.id] = progress;
  return { ...list, downloads };
}
