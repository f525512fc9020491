import { z } from 'zod';
import { ParleyError } from '#protocol';
import { openAiErrorBody } from '../../platform/openai-compat';
import { parseRequestBody, type HttpRoute } from '../../platform/http';
import { encodeWav, floatToPcm16, pcm16ToBytes, resample, toFloatAudio, type Pcm16Audio } from '#audio';
import { encodeOggOpus } from '../audio';
import type { Synthesis } from '../engines/configured-engines';
import { requireSpokenAudio } from '../spoken-audio';
import { MAX_SPEED, MIN_SPEED } from '../tts';

/** OpenAI's raw `pcm` format: 16-bit little-endian mono at 24 kHz. */
const OPENAI_PCM_RATE = 24_000;

const speechRequestSchema = z.object({
  model: z.string().min(1).max(200),
  input: z.string().min(1).max(4096),
  voice: z.string().max(200).optional(),
  response_format: z.enum(['wav', 'opus', 'pcm', 'mp3', 'aac', 'flac']).default('wav'),
  speed: z.number().min(MIN_SPEED).max(MAX_SPEED).default(1),
  instructions: z.string().max(4096).optional(),
});

/**
 * `POST /v1/audio/speech`, OpenAI's shape, spoken by the engine the Voice panel configures. A
 * voice the engine does not have (OpenAI clients always send one, "alloy" by default) falls back
 * to the configured voice rather than failing. Answers WAV, Ogg Opus or raw PCM.
 */
export function speechRoute(currentSynthesis: () => Promise<Synthesis>): HttpRoute {
  return {
    method: 'POST',
    path: '/v1/audio/speech',
    exposure: 'control',
    formatError: openAiErrorBody,
    async serve(_request, response, context) {
      const body = parseRequestBody(speechRequestSchema, await context.readJsonBody());
      if (body.response_format !== 'wav' && body.response_format !== 'opus' && body.response_format !== 'pcm') {
        throw new ParleyError('invalid_params', `Invalid request: response_format: Parley answers wav, opus or pcm, not ${body.response_format}`);
      }
      const synthesis = await currentSynthesis();
      const known = body.voice !== undefined && (await synthesis.engine.voices()).some((voice) => voice.id === body.voice);
      const audio = requireSpokenAudio(
        await synthesis.engine.synthesize(body.input, {
          voice: known ? body.voice : synthesis.voice,
          speed: Math.min(MAX_SPEED, Math.max(MIN_SPEED, body.speed * synthesis.speed)),
          volume: synthesis.volume,
          signal: context.signal,
        }),
      );
      const { bytes, contentType } = encodeSpeech(audio, body.response_format);
      response.writeHead(200, { 'content-type': contentType, 'content-length': bytes.byteLength, 'cache-control': 'no-store' });
      response.end(bytes);
    },
  };
}

function encodeSpeech(audio: Pcm16Audio, format: 'wav' | 'opus' | 'pcm'): { bytes: Uint8Array; contentType: string } {
  if (format === 'wav') return { bytes: encodeWav(audio), contentType: 'audio/wav' };
  if (format === 'opus') return { bytes: encodeOggOpus(toFloatAudio(audio)), contentType: 'audio/ogg; codecs=opus' };
  const pcm = floatToPcm16(resample(toFloatAudio(audio), OPENAI_PCM_RATE).samples);
  return { bytes: pcm16ToBytes(pcm), contentType: 'audio/pcm' };
}
