import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { DOCUMENT_UPLOAD_PATH, ParleyError } from '#protocol';
import type { HttpRoute } from '../../platform/http';
import type { DocumentFiles } from '../document-files';
import type { DocumentRepository } from '../document-repository';

const FILE_PATH = /^\/api\/documents\/([^/]+)\/file$/;

/** `GET /api/documents/<id>/file`: the uploaded PDF, for the viewer. */
export function fileRoute(documents: DocumentRepository, files: DocumentFiles): HttpRoute {
  return {
    method: 'GET',
    path: `${DOCUMENT_UPLOAD_PATH}/`,
    exposure: 'control',
    async serve(_request, response, context) {
      const match = FILE_PATH.exec(context.url.pathname);
      if (!match) throw new ParleyError('not_found', `No such document resource: ${context.url.pathname}`, { hint: 'The viewer reads /api/documents/<id>/file.' });
      const document = await documents.get(decodeURIComponent(match[1]!));
      const path = files.pathOf(document.sha256);
      const size = (await stat(path).catch(() => undefined))?.size;
      if (size === undefined) throw new ParleyError('not_found', `The file of "${document.title}" is missing from the data folder`, { hint: 'Delete the document and upload it again.' });
      const asciiName = document.fileName.replace(/[^\x20-\x7e]|["\\]/g, '_');
      response.writeHead(200, {
        'content-type': 'application/pdf',
        'content-length': size,
        'content-disposition': `inline; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(document.fileName)}`,
        'cache-control': 'private, max-age=3600',
        'x-content-type-options': 'nosniff',
      });
      await pipeline(createReadStream(path), response);
    },
  };
}
