import { DOCUMENT_UPLOAD_PATH, documentUploadResultSchema, ParleyError, wireErrorSchema, type DocumentUploadResult } from '#protocol';
import { backendEndpoint } from '../../connection';

/**
 * `POST /api/documents` with the file as `file`, through XMLHttpRequest because fetch cannot
 * report upload progress. Fails with the backend's own error (not a PDF, too large...).
 */
export async function uploadDocument(file: File, options: { password?: string; onProgress?: (fraction: number) => void; signal?: AbortSignal } = {}): Promise<DocumentUploadResult> {
  const endpoint = await backendEndpoint();
  if (!endpoint) throw new ParleyError('unauthorized', 'Not connected to the backend', { hint: 'Connect first; the upload needs the console’s token.' });
  const form = new FormData();
  form.set('file', file, file.name);
  if (options.password) form.set('password', options.password);
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', new URL(DOCUMENT_UPLOAD_PATH, endpoint.url));
    request.setRequestHeader('authorization', `Bearer ${endpoint.token}`);
    request.responseType = 'json';
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) options.onProgress?.(event.loaded / event.total);
    };
    request.onload = () => {
      const body: unknown = request.response;
      if (request.status < 300) {
        const parsed = documentUploadResultSchema.safeParse(body);
        if (parsed.success) resolve(parsed.data);
        else reject(new ParleyError('internal', 'The backend answered the upload with something unexpected'));
        return;
      }
      const wire = wireErrorSchema.safeParse((body as { error?: unknown } | null)?.error);
      reject(wire.success ? ParleyError.fromWire(wire.data) : new ParleyError('internal', `Upload failed with HTTP ${request.status}`));
    };
    request.onerror = () => reject(new ParleyError('unavailable', `The upload of ${file.name} was interrupted`, { hint: 'Check the connection to the backend and try again.' }));
    request.onabort = () => reject(new ParleyError('cancelled', 'Upload cancelled'));
    options.signal?.addEventListener('abort', () => request.abort(), { once: true });
    request.send(form);
  });
}
