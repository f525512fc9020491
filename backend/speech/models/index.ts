/**
 * Local speech models: the catalogue of whisper.cpp models and Piper voices, their resumable and
 * verified download into `<dataDir>/models/{whisper,piper}/`, the inventory of what is installed,
 * and the user's own model files. `SpeechModelManager` is the one entry point.
 */
export { SpeechModelManager, type SpeechModelManagerOptions } from './speech-model-manager';
export type { DownloadOptions } from './download-options';
export { speechModelCatalogue, type CatalogueBaseUrls } from './catalogue';
export { WHISPER_BASE_URL } from './whisper-catalogue';
export { PIPER_BASE_URL } from './piper-catalogue';
export { GGML_FILE_MAGIC } from './validate-custom-model';
export type { RetryPolicy } from '../../platform/downloads';
export type {
  CatalogueEntry,
  CatalogueEntryStatus,
  DownloadOutcome,
  DownloadProgress,
  InstalledFile,
  InstalledModel,
  ModelFileSpec,
  SpeechModelKind,
} from './model-types';
