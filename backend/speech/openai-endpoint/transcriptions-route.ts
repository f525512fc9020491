import type { IncomingMessage } from 'node:http';
import { CAPTURE_SAMPLE_RATE, ParleyError } from '#protocol';
import { openAiErrorBody } from '../../platform/openai-compat';
import type { HttpRoute } from '../../platform/http';
import { AudioFormatError, resample } from '#audio';
import { decodeAudioFile } from '../audio';
import type { SpeechToTextEngine, Transcript } from '../stt';
import { formatSubtitles } from './subtitles';

/** OpenAI's own upload limit. */
export const MAX_TRANSCRIPTION_UPLOAD_BYTES = 25 * 1024 * 1024;
const RESPONSE_FORMATS = ['json', 'text', 'verbose_json', 'srt', 'vtt'] as const;
type ResponseFormat = (typeof RESPONSE_FORMATS)[number];
type FormField = ReturnType<FormData['get']>;

/**
 * `POST /v1/audio/transcriptions`, OpenAI's multipart shape: Parley as a local speech server for
 * other tools, with the engine the Voice panel configures (the `model` field is accepted and not
 * used to pick one). WAV, MP3, Ogg Opus and WebM are read; anything else is refused by name.
 */
export function transcriptionsRoute(engine: SpeechToTextEngine): HttpRoute {
  return {
    method: 'POST',
    path: '/v1/audio/transcriptions',
    exposure: 'control',
    maxBodyBytes: MAX_TRANSCRIPTION_UPLOAD_BYTES,
    formatError: openAiErrorBody,
    async serve(request, response, context) {
      const form = await readMultipartForm(request, await readUpload(context.readRawBody));
      const file = form.get('file');
      if (!(file instanceof File)) throw new ParleyError('invalid_params', 'Invalid request: file: an audio file is required (multipart field "file")');
      const model = form.get('model');
      if (typeof model !== 'string' || !model) throw new ParleyError('invalid_params', 'Invalid request: model: required (any name; Parley uses the engine chosen in its Voice panel)');
      const format = responseFormat(form.get('response_format'));
      const language = textField(form.get('language'));

      const audio = await decodeUpload(new Uint8Array(await file.arrayBuffer()), file.name);
      const pcm = resample(audio, CAPTURE_SAMPLE_RATE).samples;
      const durationSeconds = pcm.length / CAPTURE_SAMPLE_RATE;
      const transcript = withinAudio(await engine.transcribe(pcm, { language, audioContext: 'auto', signal: context.signal }), durationSeconds);
      const { body, contentType } = formatTranscript(transcript, format, durationSeconds, language);
      response.writeHead(200, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
      response.end(body);
    },
  };
}

/** The server's size refusal, said for an audio upload (its generic advice is about JSON bodies). */
async function readUpload(readRawBody: () => Promise<Buffer>): Promise<Buffer> {
  try {
    return await readRawBody();
  } catch (error) {
    if (error instanceof ParleyError && error.code === 'payload_too_large') {
      throw new ParleyError('payload_too_large', `The upload is larger than ${MAX_TRANSCRIPTION_UPLOAD_BYTES / 1024 / 1024} MB, the limit for one transcription (as at OpenAI)`, {
        hint: 'Send a shorter recording, or a compressed one (Ogg Opus or MP3 are about ten times smaller than WAV).',
      });
    }
    throw error;
  }
}

/**
 * Whisper times a segment without a closing timestamp to the end of its 30 s window, past the end
 * of a short upload: no subtitle cue or verbose_json segment may outlast the audio.
 */
function withinAudio(transcript: Transcript, durationSeconds: number): Transcript {
  const endMs = durationSeconds * 1000;
  const segments = transcript.segments
    .map((segment) => ({ ...segment, startMs: Math.min(segment.startMs, endMs), endMs: Math.min(segment.endMs, endMs) }))
    .filter((segment) => segment.endMs > segment.startMs);
  return { ...transcript, segments };
}

async function readMultipartForm(request: IncomingMessage, body: Buffer): Promise<FormData> {
  const contentType = request.headers['content-type'] ?? '';
  if (!/^multipart\/form-data;/i.test(contentType)) {
    throw new ParleyError('bad_request', 'Expected a multipart/form-data upload', { hint: 'Send the audio as the "file" field of a multipart form, as OpenAI clients do.' });
  }
  try {
    // The platform's own multipart parser (undici), on bytes already bounded by the route's limit.
    // (A Buffer read from a request is backed by a plain ArrayBuffer, as the DOM's BodyInit wants.)
    const bytes = body as Uint8Array<ArrayBuffer>;
    return await new Request('http://parley.invalid/', { method: 'POST', headers: { 'content-type': contentType }, body: bytes }).formData();
  } catch (error) {
    throw new ParleyError('bad_request', `The multipart form could not be read: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function decodeUpload(bytes: Uint8Array, fileName: string) {
  try {
    return await decodeAudioFile(bytes);
  } catch (error) {
    if (error instanceof AudioFormatError) {
      throw new ParleyError('invalid_params', `${fileName || 'The file'} could not be read as audio: ${error.message}`, { hint: 'Send WAV, MP3, Ogg Opus or WebM audio.' });
    }
    throw error;
  }
}

function responseFormat(value: FormField): ResponseFormat {
  const text = textField(value) ?? 'json';
  if ((RESPONSE_FORMATS as readonly string[]).includes(text)) return text as ResponseFormat;
  throw new ParleyError('invalid_params', `Invalid request: response_format: "${text}" is not one of ${RESPONSE_FORMATS.join(', ')}`);
}

function textField(value: FormField): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

function formatTranscript(transcript: Transcript, format: ResponseFormat, durationSeconds: number, language: string | undefined) {
  switch (format) {
    case 'text':
      return { body: `${transcript.text}\n`, contentType: 'text/plain; charset=utf-8' };
    case 'srt':
    case 'vtt':
      return { body: formatSubtitles(transcript, format, durationSeconds), contentType: format === 'vtt' ? 'text/vtt; charset=utf-8' : 'application/x-subrip; charset=utf-8' };
    case 'verbose_json':
      return {
        body: JSON.stringify({
          task: 'transcribe',
          language: transcript.language ?? language ?? 'unknown',
          duration: Number(durationSeconds.toFixed(3)),
          text: transcript.text,
          segments: transcript.segments.map((segment, id) => ({ id, start: segment.startMs / 1000, end: segment.endMs / 1000, text: segment.text })),
        }),
        contentType: 'application/json; charset=utf-8',
      };
    case 'json':
      return { body: JSON.stringify({ text: transcript.text }), contentType: 'application/json; charset=utf-8' };
  }
}
