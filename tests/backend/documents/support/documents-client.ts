import type { DocumentRecord, DocumentStatus, DocumentUploadResult } from '#protocol';
import type { TestBackend } from '../../../support/backend-harness';

/** `POST /api/documents` as the console sends it: a multipart form with the PDF as `file`. */
export async function uploadPdf(backend: TestBackend, bytes: Uint8Array, fileName: string, fields: Record<string, string> = {}): Promise<{ status: number; body: DocumentUploadResult & { error?: { code: string; message: string } } }> {
  const form = new FormData();
  form.set('file', new Blob([new Uint8Array(bytes)], { type: 'application/pdf' }), fileName);
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  const response = await backend.fetch('/api/documents', { method: 'POST', body: form });
  return { status: response.status, body: (await response.json()) as DocumentUploadResult & { error?: { code: string; message: string } } };
}

const SETTLED: DocumentStatus[] = ['ready', 'failed', 'needs_password', 'cancelled'];

/** Polls documents.get until the document leaves queued/extracting (or `until` holds), failing with its last state after `timeoutMs`. */
export async function waitForDocument(backend: TestBackend, id: string, options: { timeoutMs?: number; until?: (document: DocumentRecord) => boolean } = {}): Promise<DocumentRecord> {
  const until = options.until ?? ((document: DocumentRecord) => SETTLED.includes(document.status));
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  let last: DocumentRecord | undefined;
  while (Date.now() < deadline) {
    last = await backend.call('documents.get', { id });
    if (until(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Document ${id} did not settle in time; last state: ${JSON.stringify(last)}`);
}

/** Uploads and waits until the document is ready, failed, needs a password or was cancelled. */
export async function ingest(backend: TestBackend, bytes: Uint8Array, fileName: string, timeoutMs?: number): Promise<DocumentRecord> {
  const upload = await uploadPdf(backend, bytes, fileName);
  if (upload.status >= 300) throw new Error(`Upload of ${fileName} failed: ${upload.status} ${JSON.stringify(upload.body)}`);
  return waitForDocument(backend, upload.body.id, { timeoutMs });
}
