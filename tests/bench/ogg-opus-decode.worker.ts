// Decodes one damaged Ogg Opus input per message, off the bench's thread, so an input that hangs a
// decoder can be timed out (the worker is terminated) instead of stalling the bench.
import { parentPort } from 'node:worker_threads';
import { OggOpusDecoder } from 'ogg-opus-decoder';
import { AudioFormatError } from '#audio';
import { decodeOggOpus } from '../../backend/speech/audio';

export type DecoderName = 'parley' | 'ogg-opus-decoder';
export interface DecodeRequest {
  decoder: DecoderName;
  bytes: Uint8Array;
}
/** `refused`: a clean error (AudioFormatError, or ogg-opus-decoder's `errors` list); `exception`: anything else thrown. */
export interface DecodeOutcome {
  outcome: 'decoded' | 'refused' | 'exception';
  samples: number;
  message?: string;
}

async function decode({ decoder, bytes }: DecodeRequest): Promise<DecodeOutcome> {
  if (decoder === 'parley') {
    try {
      return { outcome: 'decoded', samples: decodeOggOpus(bytes).samples.length };
    } catch (error) {
      return { outcome: error instanceof AudioFormatError ? 'refused' : 'exception', samples: 0, message: String(error) };
    }
  }
  // A fresh decoder per input, as the product would use one per upload (the WASM module is compiled once).
  const wasm = new OggOpusDecoder();
  try {
    await wasm.ready;
    const decoded = await wasm.decodeFile(bytes);
    if (decoded.errors.length > 0) return { outcome: 'refused', samples: decoded.samplesDecoded, message: decoded.errors[0]!.message };
    return { outcome: 'decoded', samples: decoded.samplesDecoded };
  } catch (error) {
    return { outcome: 'exception', samples: 0, message: String(error) };
  } finally {
    wasm.free();
  }
}

parentPort!.on('message', (request: DecodeRequest) => {
  void decode(request).then((outcome) => parentPort!.postMessage(outcome));
});
