/** The two kinds of local speech model Parley runs: whisper.cpp (speech → text) and Piper (text → speech). */
export type SpeechModelKind = 'whisper' | 'piper';

export const SPEECH_MODEL_KINDS: readonly SpeechModelKind[] = ['whisper', 'piper'];

/** One file a model needs. A Piper voice is two of them: the network and its config. */
export interface ModelFileSpec {
  /** The name it is stored under in `<dataDir>/models/<kind>/`. */
  fileName: string;
  url: string;
  /** The exact size when it is published; a download of any other size is rejected. */
  bytes?: number;
  /** For display and progress before the server answers. Equals `bytes` when that is known. */
  approxBytes: number;
  /** Lower-case hex. Only ever a published value: undefined when not known exactly. */
  sha256?: string;
}

export interface CatalogueEntry {
  /** Stable and unique: `whisper:base.en-q5_1`, `piper:en_US-lessac-medium`. */
  id: string;
  kind: SpeechModelKind;
  label: string;
  /** `multilingual`, or the one language it speaks (`en`, `en_GB`, `de_DE`...). */
  language: string;
  /** whisper.cpp weight format; undefined for full-precision (f16) models and for Piper voices. */
  quantisation?: 'q5_1' | 'q8_0';
  files: readonly ModelFileSpec[];
  approxBytes: number;
}

export interface InstalledFile {
  path: string;
  bytes: number;
}

/** A model that can be used now: downloaded from the catalogue, registered by the user, or dropped into the folder by hand. */
export interface InstalledModel {
  id: string;
  kind: SpeechModelKind;
  source: 'catalogue' | 'custom' | 'unlisted';
  /** The catalogue entry it is, when it is one. */
  catalogueId?: string;
  label: string;
  /** The file to hand to the engine: the ggml `.bin` or the Piper `.onnx`. */
  modelPath: string;
  /** Piper only: the `.onnx.json` beside the network. */
  configPath?: string;
  files: InstalledFile[];
  bytes: number;
  /** Custom models live where the user keeps them; a moved or deleted file shows here instead of vanishing. */
  missing?: boolean;
}

/** Where a catalogue entry stands on this machine. */
export interface CatalogueEntryStatus {
  id: string;
  state: 'installed' | 'downloading' | 'partial' | 'absent';
  /** Bytes already on disk in `.part` files, what a download would resume from. */
  partialBytes: number;
}

export interface DownloadProgress {
  id: string;
  receivedBytes: number;
  /** Undefined only when neither the catalogue nor the server says how big the model is. */
  totalBytes: number | undefined;
  /** Over the last few seconds, so a stall shows quickly. 0 until there is something to measure. */
  bytesPerSecond: number;
  /** Undefined while the speed or the total is unknown. */
  etaSeconds: number | undefined;
}

export type DownloadOutcome =
  | { id: string; outcome: 'installed'; model: InstalledModel }
  | { id: string; outcome: 'cancelled' }
  | { id: string; outcome: 'failed'; error: Error };
