import type { Worker as TesseractWorker } from 'tesseract.js';
import { englishOcrData } from '../bundled-files';

export interface OcrResult {
  text: string;
  /** tesseract's mean word confidence, 0..100. */
  confidence: number;
}

/**
 * tesseract.js (its own worker thread) with English from the npm package. Started on the first
 * scanned page, kept for the next ones. tesseract.js cannot cancel one recognition, so aborting
 * terminates the worker; the next page starts a fresh one.
 */
export class OcrEngine {
  private worker: Promise<TesseractWorker> | undefined;

  async recognize(png: Uint8Array, signal: AbortSignal): Promise<OcrResult> {
    signal.throwIfAborted();
    const worker = await (this.worker ??= this.start());
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

  private async start(): Promise<TesseractWorker> {
    const { langPath, gzip } = englishOcrData();
    try {
      // tesseract.js loads with the first scanned page, not at start (cold start).
      const { createWorker, OEM } = await import('tesseract.js');
      return await createWorker('eng', OEM.LSTM_ONLY, { langPath, gzip, cacheMethod: 'none' });
    } catch (error) {
      this.worker = undefined;
      throw error;
    }
  }
}
