/** Voice notes as WhatsApp records them, and what a voice note the bridge sends must be. */
import { createHash } from 'node:crypto';
import { toFloatAudio } from '#audio';
import { decodeOggOpus, encodeOggOpus, readOggStreams } from '../../../backend/speech/audio';
import { EspeakEngine } from '../../../backend/speech/tts';
import { envelope } from './cloud-payloads';

/** espeak-ng speech (the built-in WASM engine) as OGG/Opus mono. */
export async function voiceNote(text: string): Promise<Buffer> {
  const espeak = await EspeakEngine.load();
  return Buffer.from(encodeOggOpus(toFloatAudio(await espeak.synthesize(text))));
}

export function voiceMessage(mediaId: string, ogg: Buffer, options: { id?: string; from?: string } = {}) {
  const from = options.from ?? '16505551234';
  return envelope({
    contacts: [{ profile: { name: 'Kerry Fisher' }, wa_id: from }],
    messages: [
      {
        from,
        id: options.id ?? `wamid.voice.${Date.now()}.${Math.random()}`,
        timestamp: String(Math.floor(Date.now() / 1000)),
        type: 'audio',
        audio: { id: mediaId, mime_type: 'audio/ogg; codecs=opus', sha256: createHash('sha256').update(ogg).digest('hex'), voice: true },
      },
    ],
  });
}

/** What WhatsApp demands of a voice note: a valid Ogg Opus stream, mono (OpusHead channel count 1), at most 512 KB. */
export function describeVoiceNote(bytes: Uint8Array): { channels: number; seconds: number; bytes: number } {
  const [stream] = readOggStreams(bytes);
  const head = stream!.packets[0]!;
  if (new TextDecoder().decode(head.subarray(0, 8)) !== 'OpusHead') throw new Error('not an Opus stream');
  const audio = decodeOggOpus(bytes);
  return { channels: head[9]!, seconds: audio.samples.length / audio.sampleRate, bytes: bytes.byteLength };
}
