import { ParleyError, WHATSAPP_VOICE_PATH } from '#protocol';
import type { SpeechSynthesis } from '../../platform/intake';
import { sendJson, type HttpRoute } from '../../platform/http';
import { MAX_RECORDING_BYTES, toVoiceNote, type OperatorReplies } from '../outbound/operator-replies';
import { SIMULATOR_CONTACT, type WhatsAppSimulator } from '../simulator/simulator';

const CONTACT_PATH = /^\/contacts\/([^/]+)$/;

/**
 * `POST /api/whatsapp/voice/simulator` and `/api/whatsapp/voice/contacts/<id>`, a WAV recorded from
 * the panel's microphone as the body: the simulator contact's voice note (through the same signed
 * webhook and queue as a real one), or the operator's voice reply. A route rather than a method: a
 * recording outgrows the JSON limit.
 */
export function voiceRoute(deps: { simulator: WhatsAppSimulator; replies: OperatorReplies; speech(): SpeechSynthesis | undefined }): HttpRoute {
  return {
    method: 'POST',
    path: `${WHATSAPP_VOICE_PATH}/`,
    exposure: 'control',
    maxBodyBytes: MAX_RECORDING_BYTES,
    async serve(_request, response, context) {
      const target = context.url.pathname.slice(WHATSAPP_VOICE_PATH.length);
      const wav = await context.readRawBody();
      if (target === '/simulator') {
        const messageId = await deps.simulator.sendVoice(toVoiceNote(deps.speech(), wav).bytes);
        return sendJson(response, 200, { contactId: SIMULATOR_CONTACT.id, messageId });
      }
      const contact = CONTACT_PATH.exec(target);
      if (!contact) throw new ParleyError('not_found', `No voice route ${context.url.pathname}`, { hint: 'POST a WAV to /api/whatsapp/voice/simulator or /api/whatsapp/voice/contacts/<contact id>.' });
      const message = await deps.replies.voice(decodeURIComponent(contact[1]!), wav);
      sendJson(response, 200, { message });
    },
  };
}
