import type { CatalogueEntry } from './model-types';
import { piperCatalogue } from './piper-catalogue';
import { whisperCatalogue } from './whisper-catalogue';

/** Where to download from. Tests and mirrors point these elsewhere; the file layout below them stays the same. */
export interface CatalogueBaseUrls {
  whisper?: string;
  piper?: string;
}

/** Every model Parley offers to download, whisper models first. */
export function speechModelCatalogue(baseUrls: CatalogueBaseUrls = {}): CatalogueEntry[] {
  return [...whisperCatalogue(baseUrls.whisper), ...piperCatalogue(baseUrls.piper)];
}
