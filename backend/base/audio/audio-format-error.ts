import { ParleyError } from '#protocol';

/**
 * Audio bytes that cannot be read: wrong magic, truncated, an unsupported encoding. A `bad_request`
 * on the wire, because the bytes came from the caller (an upload, a voice note, a remote engine).
 */
export class AudioFormatError extends ParleyError {
  constructor(
    readonly format: 'wav' | 'ogg' | 'opus' | 'webm' | 'mp3' | 'audio',
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super('bad_request', message, { details: { format }, cause: options.cause });
    this.name = 'AudioFormatError';
  }
}
