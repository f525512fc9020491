import { Worker } from 'node:worker_threads';
import { PDF_TEXT_WORKER_URL, standardFontDataUrl } from '../bundled-files';
import type { PlacedText } from './reading-order';

export type ExtractionEvent =
  | { type: 'opened'; pages: number }
  | { type: 'page'; page: number; items: PlacedText[]; image?: Uint8Array };

/** Why a PDF could not be opened: encrypted (a password is needed or was wrong), not a PDF or damaged, or anything else. */
export class PdfOpenError extends Error {
  constructor(
    readonly reason: 'password' | 'invalid' | 'error',
    message: string,
  ) {
    super(message);
    this.name = 'PdfOpenError';
  }
}

export interface ExtractionOptions {
  password?: string;
  /** Render pages without a text layer as PNG (for OCR). */
  renderBlankPages: boolean;
  signal: AbortSignal;
}

type WorkerMessage =
  | { type: 'opened'; pages: number }
  | { type: 'page'; page: number; items: Array<[string, number, number, number, number]>; image?: Uint8Array }
  | { type: 'done' }
  | { type: 'failed'; reason: 'password' | 'invalid' | 'error'; message: string };

/** OCR reads best at about 200 dpi; pages are 72 points per inch. */
const OCR_RENDER_SCALE = 200 / 72;

/**
 * The PDF's text, page by page, from pdf.js in a worker thread: a big or hostile file never holds
 * the backend's event loop, and aborting terminates the worker at once.
 */
export async function* extractPdfText(bytes: Uint8Array, options: ExtractionOptions): AsyncGenerator<ExtractionEvent> {
  options.signal.throwIfAborted();
  const worker = new Worker(PDF_TEXT_WORKER_URL, {
    workerData: { bytes, password: options.password, standardFontDataUrl: standardFontDataUrl(), renderBlankPages: options.renderBlankPages, renderScale: OCR_RENDER_SCALE },
    // Plain JavaScript: no inherited loader (tsx under the bench) should transpile pdf.js on every start.
    execArgv: [],
    // pdf.js keeps whole pages in memory; a hostile file must not take the backend down with it.
    resourceLimits: { maxOldGenerationSizeMb: 1024 },
  });
  const queue: Array<WorkerMessage | { type: 'crashed'; error: Error }> = [];
  let wake: (() => void) | undefined;
  const push = (message: (typeof queue)[number]) => {
    queue.push(message);
    wake?.();
  };
  worker.on('message', (message: WorkerMessage) => push(message));
  worker.on('error', (error) => push({ type: 'crashed', error }));
  worker.on('exit', (code) => push({ type: 'crashed', error: new Error(`The PDF reader stopped (exit code ${code})`) }));
  const onAbort = () => wake?.();
  options.signal.addEventListener('abort', onAbort);
  try {
    for (;;) {
      while (queue.length === 0) {
        options.signal.throwIfAborted();
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
      options.signal.throwIfAborted();
      const message = queue.shift()!;
      switch (message.type) {
        case 'opened':
          yield { type: 'opened', pages: message.pages };
          break;
        case 'page':
          yield {
            type: 'page',
            page: message.page,
            items: message.items.map(([text, x, y, width, height]) => ({ text, x, y, width, height })),
            ...(message.image ? { image: message.image } : {}),
          };
          break;
        case 'done':
          return;
        case 'failed':
          throw new PdfOpenError(message.reason, message.message);
        case 'crashed':
          throw new PdfOpenError('error', message.error.message);
      }
    }
  } finally {
    options.signal.removeEventListener('abort', onAbort);
    worker.removeAllListeners();
    await worker.terminate();
  }
}
