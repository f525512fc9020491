/**
 * Audio that both the backend and the renderer need, written once and free of any runtime (no
 * node:*, no Buffer, no DOM): PCM16 ↔ float under one int16 convention, WAV read and write,
 * sample-rate conversion (streaming or whole clips). Imported as `#audio`. Codecs that need Node
 * or WASM (Ogg Opus, MP3, WebM) live in backend/speech/audio.
 */
export { durationSeconds, type FloatAudio, type Pcm16Audio } from './audio-types';
export { AudioFormatError } from './audio-format-error';
export { floatToPcm16, INT16_SCALE, pcm16FromBytes, pcm16ToBytes, pcm16ToFloat, toFloatAudio, toPcm16Audio } from './pcm16';
export { applyGain, downmixToMono, rms } from './levels';
export { decodeWav } from './wav-read';
export { encodeWav } from './wav-write';
export { Resampler, type ResamplerOptions } from './resampler';
export { resample } from './resample';
