import { create } from 'zustand';
import { ParleyError, type ModelDownloadProgress, type SpeechModel } from '#protocol';
import { controlClient } from '../../connection';
import { reportError } from '../../errors';

export type SpeechModelKind = SpeechModel['kind'];

interface SpeechModelsState {
  models: SpeechModel[];
  /** Downloads in progress (and the last failed one per model, until the next try). */
  downloads: Record<string, ModelDownloadProgress>;
  loaded: boolean;
  /** Why the list could not be loaded (e.g. the speech backend is not available yet). */
  problem: string | null;
  /** Requests in flight per model id, so their buttons wait. */
  busy: Record<string, true>;
}

const SOURCE = 'Voice models';

export const useSpeechModelsStore = create<SpeechModelsState>(() => ({ models: [], downloads: {}, loaded: false, problem: null, busy: {} }));

export async function loadSpeechModels(): Promise<void> {
  try {
    const { models, downloads } = await controlClient.request('speech.models.list', {});
    useSpeechModelsStore.setState({ models, downloads: Object.fromEntries(downloads.map((d) => [d.id, d])), loaded: true, problem: null });
  } catch (error) {
    useSpeechModelsStore.setState({ loaded: true, problem: error instanceof Error ? error.message : String(error) });
    reportError(SOURCE, error);
  }
}

/** Follows download progress for the app's lifetime: a download goes on while another panel is shown. */
export function followModelProgress(): () => void {
  return controlClient.on('speech.models.progress', (progress) => {
    useSpeechModelsStore.setState((state) => {
      const downloads = { ...state.downloads };
      if (progress.state === 'installed' || progress.state === 'cancelled') delete downloads[progress.id];
      else downloads[progress.id] = progress;
      return { downloads };
    });
    if (progress.state === 'installed') void loadSpeechModels();
    if (progress.state === 'failed') {
      const name = modelName(progress.id);
      reportError(SOURCE, new ParleyError('unavailable', `Download of ${name} failed${progress.error ? `: ${progress.error}` : ''}`, { hint: 'Check the network connection and the free disk space, then press Download again.' }));
    }
  });
}

export function downloadModel(id: string): Promise<void> {
  return withBusy(id, async () => {
    await controlClient.request('speech.models.download', { id });
    useSpeechModelsStore.setState((state) => ({
      downloads: { ...state.downloads, [id]: state.downloads[id]?.state === 'downloading' ? state.downloads[id] : { id, state: 'downloading', receivedBytes: 0 } },
    }));
  });
}

export function cancelDownload(id: string): Promise<void> {
  return withBusy(id, async () => {
    await controlClient.request('speech.models.cancel', { id });
  });
}

export function deleteModel(id: string): Promise<void> {
  return withBusy(id, async () => {
    const { deleted } = await controlClient.request('speech.models.delete', { id });
    if (deleted) await loadSpeechModels();
  });
}

/** Registers a model file already on the backend's machine; returns it, or null when that failed. */
export async function registerCustomModel(kind: SpeechModelKind, path: string): Promise<SpeechModel | null> {
  try {
    const { model } = await controlClient.request('speech.models.registerCustom', { kind, path });
    useSpeechModelsStore.setState((state) => ({ models: [...state.models.filter((m) => m.id !== model.id), model] }));
    return model;
  } catch (error) {
    reportError(SOURCE, error);
    return null;
  }
}

export function installedModels(models: readonly SpeechModel[], kind: SpeechModelKind): SpeechModel[] {
  return models.filter((model) => model.kind === kind && model.installed);
}

function modelName(id: string): string {
  return useSpeechModelsStore.getState().models.find((model) => model.id === id)?.name ?? id;
}

async function withBusy(id: string, run: () => Promise<void>): Promise<void> {
  useSpeechModelsStore.setState((state) => ({ busy: { ...state.busy, [id]: true } }));
  try {
    await run();
  } catch (error) {
    reportError(SOURCE, error);
  } finally {
    useSpeechModelsStore.setState((state) => {
      const busy = { ...state.busy };
      delete busy[id];
      return { busy };
    });
  }
}
