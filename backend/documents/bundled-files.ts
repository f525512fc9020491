import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Files the documents capability loads at run time. This module sits two folders below the
 * repository root, as the bundle (out/backend/index.js) does, so the same relative URL finds
 * resources/ both from the sources (tests) and from the bundle.
 */
export const PDF_TEXT_WORKER_URL = new URL('../../resources/documents/pdf-text-worker.mjs', import.meta.url);

const require = createRequire(import.meta.url);

/** pdf.js's metrics of the 14 standard fonts (a PDF may use them without embedding them). */
export function standardFontDataUrl(): string {
  return pathToFileURL(join(dirname(require.resolve('pdfjs-dist/package.json')), 'standard_fonts') + '/').href;
}

/** English for tesseract.js from the @tesseract.js-data/eng npm package: OCR works offline on a fresh install. */
export function englishOcrData(): { langPath: string; gzip: boolean } {
  const data = require('@tesseract.js-data/eng') as { langPath: string; gzip: boolean };
  return { langPath: data.langPath, gzip: data.gzip };
}
