import type { Worker as TesseractWorker } from 'tesseract.js';
import { englishOcrData } from '../bundled-files';
import type { OcrLanguageSelection } from './ocr-languages';

export interface OcrResult {
  text: string;
  /** tesseract's mean word confidence, 0..100. */
  confidence: number;
}

/** English from the npm package: what OCR reads when no other language is chosen. */
async function bundledEnglish(): Promise<OcrLanguageSelection> {
  return { codes: ['eng'], langPath: englishOcrData().langPath };
}

/**
 * tesseract.js (its own worker thread) in the chosen languages (English from the npm package by
 * default). Started on the first scanned page, kept for the next ones while the languages stay the
 * same. tesseract.js cannot cancel one recognition, so aborting terminates the worker; the next
 * page starts a fresh one.
 */
export class OcrEngine {
  private worker: Promise<TesseractWorker> | undefined;
  /** The languages the running worker was started with. */
  private workerKey = '';

  constructor(private readonly languages: () => Promise<OcrLanguageSelection> = bundledEnglish) {}

  async recognize(png: Uint8Array, signal: AbortSignal): Promise<OcrResult> {
    signal.throwIfAborted();
    const selection = await this.languages();
    const key = `${selection.codes.join('+')}@${selection.langPath}`;
    if (this.worker && key !== this.workerKey) await this.dispose();
    this.workerKey = key;
    const worker = await (this.worker ??= this.start(selection));
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => {
        // tesseract.js has no per-job cancel: the worker goes, the next page starts a new one.
        void this.dispose();
        reject(signal.reason as Error);
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      const result = await Promise.race([worker.recognize(Buffer.from(png.buffer, png.byteOffset, png.byteLength)), aborted]);
      return { text: result.data.text, confidence: result.data.confidence };
    } finally {
      signal.removeEventListener('abort', onAbort!);
    }
  }

  async dispose(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await (await worker.catch(() => undefined))?.terminate();
  }

  private async start(selection: OcrLanguageSelection): Promise<TesseractWorker> {
    try {
      // tesseract.js loads with the first scanned page, not at start (cold start).
      const { createWorker, OEM } = await import('tesseract.js');
      // Every language file is gzipped: the npm package's English and the downloaded ones alike.
      return await createWorker(selection.codes, OEM.LSTM_ONLY, { langPath: selection.langPath, gzip: true, cacheMethod: 'none' });
    } catch (error) {
      this.worker = undefined;
      throw error;
    }
  }
}
