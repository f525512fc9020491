import { useMutation } from '@tanstack/react-query';
import { topics, type ModelDownloadProgress, type SpeechModel } from '#protocol';
import { controlClient } from '../../connection';
import { queryClient, queryKeys, speechModelsQuery, useBackendQuery, withDownloadProgress, type SpeechModelList } from '../../server-state';

export type SpeechModelKind = SpeechModel['kind'];

const SOURCE = 'Voice models';

/** The catalogue, what is installed and the downloads in progress (kept fresh by speech.models.progress). */
export function useSpeechModels() {
  return useBackendQuery(speechModelsQuery(controlClient));
}

export function useInstalledModels(kind: SpeechModelKind): SpeechModel[] {
  return installedModels(useSpeechModels().data?.models ?? [], kind);
}

export function reloadSpeechModels(): Promise<void> {
  return queryClient.invalidateQueries({ queryKey: queryKeys.speechModels });
}

/** Download, cancel and delete of one model; `busy` while one of its requests is in flight. */
export function useModelActions(id: string) {
  const options = { meta: { source: SOURCE } };
  const download = useMutation({
    ...options,
    mutationFn: () => controlClient.request('speech.models.download', { id }),
    onSuccess: () => {
      followDownload(id);
      queryClient.setQueryData<SpeechModelList>(queryKeys.speechModels, (list) =>
        list && list.downloads[id]?.state !== 'downloading' ? withDownloadProgress(list, { id, state: 'downloading', receivedBytes: 0 }) : list,
      );
    },
  });
  const cancel = useMutation({ ...options, mutationFn: () => controlClient.request('speech.models.cancel', { id }) });
  const remove = useMutation({
    ...options,
    mutationFn: () => controlClient.request('speech.models.delete', { id }),
    onSuccess: ({ deleted }) => (deleted ? reloadSpeechModels() : undefined),
  });
  return {
    busy: download.isPending || cancel.isPending || remove.isPending,
    download: () => download.mutate(),
    cancel: () => cancel.mutate(),
    remove: () => remove.mutate(),
  };
}

/** Registers a model file already on the backend's machine; resolves to it, or null when that failed (reported). */
export function useRegisterCustomModel() {
  const mutation = useMutation({
    mutationFn: ({ kind, path }: { kind: SpeechModelKind; path: string }) => controlClient.request('speech.models.registerCustom', { kind, path }),
    onSuccess: ({ model }) => {
      queryClient.setQueryData<SpeechModelList>(queryKeys.speechModels, (list) => list && { ...list, models: [...list.models.filter((m) => m.id !== model.id), model] });
    },
    meta: { source: SOURCE },
  });
  return {
    busy: mutation.isPending,
    register: (kind: SpeechModelKind, path: string) => mutation.mutateAsync({ kind, path }).then(({ model }) => model, () => null),
  };
}

const FINISHED: ReadonlyArray<ModelDownloadProgress['state']> = ['installed', 'failed', 'cancelled'];

/**
 * A download goes on while another panel is shown: it holds the speech.models topic itself until
 * it ends, so its progress, the reload when installed and a failure's toast are not missed.
 */
function followDownload(id: string): void {
  const release = controlClient.subscribe(topics.speechModels);
  const stop = () => {
    offProgress();
    offStatus();
    release();
  };
  const offProgress = controlClient.on('speech.models.progress', (progress) => {
    if (progress.id === id && FINISHED.includes(progress.state)) stop();
  });
  // A lost connection may miss the end: the model list is reloaded on the reconnect anyway.
  const offStatus = controlClient.onStatus((status) => {
    if (status.state !== 'connected') stop();
  });
}

export function installedModels(models: readonly SpeechModel[], kind: SpeechModelKind): SpeechModel[] {
  return models.filter((model) => model.kind === kind && model.installed);
}
