import type { IncomingMessage } from 'node:http';
import { DOCUMENT_UPLOAD_PATH, ParleyError } from '#protocol';
import { sendJson, type HttpRoute } from '../../platform/http';
import type { DocumentLibrary } from '../document-library';

/** The largest PDF accepted in one upload. */
export const MAX_DOCUMENT_UPLOAD_BYTES = 200 * 1024 * 1024;

/**
 * `POST /api/documents`: a multipart form with the PDF as `file` (and `password` for an encrypted
 * one) → `{id, status, duplicate}`. Ingest runs afterwards as a job; documents.get or the
 * documents.updated event follow it.
 */
export function uploadRoute(library: DocumentLibrary): HttpRoute {
  return {
    method: 'POST',
    path: DOCUMENT_UPLOAD_PATH,
    exposure: 'control',
    maxBodyBytes: MAX_DOCUMENT_UPLOAD_BYTES,
    async serve(request, response, context) {
      const form = await readMultipartForm(request, await readUpload(context.readRawBody));
      const file = form.get('file');
      if (!(file instanceof File)) throw new ParleyError('invalid_params', 'Invalid request: file: a PDF is required (multipart field "file")');
      const password = form.get('password');
      const result = await library.upload(new Uint8Array(await file.arrayBuffer()), file.name, typeof password === 'string' && password ? password : undefined);
      sendJson(response, result.duplicate ? 200 : 202, result);
    },
  };
}

async function readUpload(readRawBody: () => Promise<Buffer>): Promise<Buffer> {
  try {
    return await readRawBody();
  } catch (error) {
    if (error instanceof ParleyError && error.code === 'payload_too_large') {
      throw new ParleyError('payload_too_large', `The PDF is larger than ${MAX_DOCUMENT_UPLOAD_BYTES / 1024 / 1024} MB, the limit for one upload`, {
        hint: 'Split the document into parts (most PDF tools can extract page ranges) and upload them one by one.',
      });
    }
    throw error;
  }
}

async function readMultipartForm(request: IncomingMessage, body: Buffer): Promise<FormData> {
  const contentType = request.headers['content-type'] ?? '';
  if (!/^multipart\/form-data;/i.test(contentType)) {
    throw new ParleyError('bad_request', 'Expected a multipart/form-data upload', { hint: 'Send the PDF as the "file" field of a multipart form.' });
  }
  try {
    // undici's multipart parser, on bytes already bounded by the route's limit.
    const bytes = body as Uint8Array<ArrayBuffer>;
    return await new Request('http://parley.invalid/', { method: 'POST', headers: { 'content-type': contentType }, body: bytes }).formData();
  } catch (error) {
    throw new ParleyError('bad_request', `The multipart form could not be read: ${error instanceof Error ? error.message : String(error)}`);
  }
}
