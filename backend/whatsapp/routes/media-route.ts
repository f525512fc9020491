import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { ParleyError, WHATSAPP_MEDIA_PATH } from '#protocol';
import type { HttpRoute } from '../../platform/http';
import type { MediaFiles } from '../store/media-files';
import type { MessageRepository } from '../store/message-repository';

/** `GET /api/whatsapp/media/<message id>`: the voice note (received or sent) the inbox plays. */
export function mediaRoute(messages: MessageRepository, media: MediaFiles): HttpRoute {
  return {
    method: 'GET',
    path: `${WHATSAPP_MEDIA_PATH}/`,
    exposure: 'control',
    async serve(_request, response, context) {
      const messageId = decodeURIComponent(context.url.pathname.slice(WHATSAPP_MEDIA_PATH.length + 1));
      const stored = messageId ? await messages.storedMedia(messageId) : undefined;
      if (!stored) throw new ParleyError('not_found', `No stored media for message ${messageId || '(none)'}`, { hint: 'Voice notes are kept once downloaded; other media is not.' });
      const path = media.pathOf(stored.file);
      const size = (await stat(path).catch(() => undefined))?.size;
      if (size === undefined) {
        throw new ParleyError('not_found', 'The voice note is no longer in the data folder (whatsapp-media)', { hint: 'Voice notes are deleted after the days set in WhatsApp → Behaviour (whatsapp.mediaRetentionDays); the transcript stays.' });
      }
      response.writeHead(200, {
        'content-type': stored.mimeType,
        'content-length': size,
        'cache-control': 'private, max-age=3600',
        'x-content-type-options': 'nosniff',
      });
      try {
        await pipeline(createReadStream(path), response);
      } catch (error) {
        // The listener went away mid-file (a player seeking, the window closing): nothing to answer.
        if ((error as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') throw error;
      }
    },
  };
}
