import type { MethodHandlers, ModelDownloadProgress, SpeechModel } from '#protocol';
import type { PublishEvent } from '../platform/events';
import type { Logger } from '../platform/observability';
import type { InstalledModel, SpeechModelManager } from './models';

export type ModelMethod = 'speech.models.list' | 'speech.models.download' | 'speech.models.cancel' | 'speech.models.delete' | 'speech.models.registerCustom';

/**
 * The model manager as the Voice panel sees it: the catalogue with what is installed, downloads
 * that run in the background and report progress to every window.
 */
export function modelHandlers(manager: SpeechModelManager, broadcast: PublishEvent, logger: Logger): MethodHandlers<ModelMethod> {
  manager.onProgress((progress) =>
    broadcast('speech.models.progress', {
      id: progress.id,
      state: 'downloading',
      receivedBytes: progress.receivedBytes,
      totalBytes: progress.totalBytes,
      bytesPerSecond: progress.bytesPerSecond,
      etaSeconds: progress.etaSeconds,
    }),
  );
  manager.onDownloadSettled((outcome) => {
    const progress: ModelDownloadProgress = { id: outcome.id, state: outcome.outcome, receivedBytes: 0 };
    if (outcome.outcome === 'failed') progress.error = outcome.error.message;
    broadcast('speech.models.progress', progress);
  });

  return {
    'speech.models.list': async () => {
      const installed = await manager.installed();
      const installedByCatalogueId = new Map(installed.map((model) => [model.catalogueId ?? model.id, model]));
      const models: SpeechModel[] = manager.catalogue().map((entry) => ({
        id: entry.id,
        kind: entry.kind,
        name: entry.label,
        sizeBytes: entry.approxBytes,
        installed: installedByCatalogueId.has(entry.id),
        custom: false,
        language: entry.language,
      }));
      for (const model of installed.filter((candidate) => candidate.source !== 'catalogue')) models.push(toSpeechModel(model));
      const downloads = manager.activeDownloads().map(
        (progress): ModelDownloadProgress => ({ ...progress, state: 'downloading' }),
      );
      return { models, downloads };
    },
    'speech.models.download': ({ id }) => {
      // The download outlives the request: progress and the outcome arrive as events.
      manager.download(id).catch((error: unknown) => logger.warn({ err: error, modelId: id }, 'model download failed'));
      return { started: true };
    },
    'speech.models.cancel': async ({ id }) => ({ cancelled: await manager.cancel(id) }),
    'speech.models.delete': async ({ id }) => {
      await manager.delete(id);
      return { deleted: true };
    },
    'speech.models.registerCustom': async ({ kind, path }) => ({ model: toSpeechModel(await manager.registerCustom(kind, path)) }),
  };
}

function toSpeechModel(model: InstalledModel): SpeechModel {
  return { id: model.id, kind: model.kind, name: model.label, sizeBytes: model.bytes, installed: !model.missing, custom: model.source !== 'catalogue' };
}
