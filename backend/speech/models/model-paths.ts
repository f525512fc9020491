import { join } from 'node:path';
import type { SpeechModelKind } from './model-types';

/** The on-disk layout: `<dataDir>/models/{whisper,piper}/<file>`, a `.part` beside each file being downloaded. */
export class ModelPaths {
  readonly root: string;
  /** The user's own model files, which stay where the user keeps them; only their paths are recorded here. */
  readonly customRegistry: string;

  constructor(dataDir: string) {
    this.root = join(dataDir, 'models');
    this.customRegistry = join(this.root, 'custom-models.json');
  }

  dir(kind: SpeechModelKind): string {
    return join(this.root, kind);
  }

  file(kind: SpeechModelKind, fileName: string): string {
    return join(this.dir(kind), fileName);
  }

  part(kind: SpeechModelKind, fileName: string): string {
    return `${this.file(kind, fileName)}${PART_SUFFIX}`;
  }
}

export const PART_SUFFIX = '.part';
