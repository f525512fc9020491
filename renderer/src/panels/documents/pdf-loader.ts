import type * as PdfJsModule from 'pdfjs-dist';
import type { PDFDocumentProxy } from 'pdfjs-dist';
import { documentFilePath, ParleyError } from '#protocol';
import { backendEndpoint } from '../../connection';

type PdfJs = typeof PdfJsModule;
let pdfjs: Promise<PdfJs> | undefined;

/** pdf.js, loaded with the viewer (not with the console), its worker served from the console's own origin. */
function loadPdfJs(): Promise<PdfJs> {
  return (pdfjs ??= (async () => {
    const [library, worker] = await Promise.all([import('pdfjs-dist'), import('pdfjs-dist/build/pdf.worker.min.mjs?url')]);
    library.GlobalWorkerOptions.workerSrc = worker.default;
    return library;
  })());
}

export async function pdfJs(): Promise<PdfJs> {
  return loadPdfJs();
}

export interface OpenedDocument {
  pdf: PDFDocumentProxy;
  /** Frees the document and its worker-side state. */
  close(): void;
}

/** The uploaded file from `GET /api/documents/<id>/file`, opened with pdf.js. */
export async function openDocumentFile(documentId: string, signal: AbortSignal): Promise<OpenedDocument> {
  const endpoint = await backendEndpoint();
  if (!endpoint) throw new ParleyError('unauthorized', 'Not connected to the backend');
  const response = await fetch(new URL(documentFilePath(documentId), endpoint.url), { headers: { authorization: `Bearer ${endpoint.token}` }, signal });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: { message?: string; hint?: string } } | null;
    throw new ParleyError(response.status === 404 ? 'not_found' : 'unavailable', body?.error?.message ?? `The file could not be loaded (HTTP ${response.status})`, { hint: body?.error?.hint });
  }
  const data = new Uint8Array(await response.arrayBuffer());
  const library = await loadPdfJs();
  const task = library.getDocument({ data });
  try {
    return { pdf: await task.promise, close: () => void task.destroy() };
  } catch (error) {
    void task.destroy();
    if ((error as { name?: string }).name === 'PasswordException') {
      throw new ParleyError('forbidden', 'This PDF is protected by a password, so the viewer cannot show it', { hint: 'Its text is searchable once unlocked; open the file in a PDF reader that asks for the password.' });
    }
    throw error;
  }
}
