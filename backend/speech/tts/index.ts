/**
 * Text-to-speech engines behind one interface: espeak-ng (WASM, in process, the default that needs
 * no download), Piper voices (ONNX, phonemised by the same espeak-ng), and any OpenAI-compatible
 * `/v1/audio/speech`. espeak-ng is GPL-3.0: it is loaded only through a dynamic import in
 * espeak-wasm-runtime.ts, on first use.
 */
export type { SynthesisOptions, SynthesizedSpeech, TextToSpeechEngine, Voice } from './text-to-speech-engine';
export { MAX_SPEED, MIN_SPEED } from './synthesis-options';
export { EspeakEngine, ESPEAK_DEFAULT_VOICE } from './espeak-engine';
export { EspeakPhonemizer, type Phonemizer } from './espeak-phonemizer';
export { loadEspeakRuntime, EspeakWasmRuntime, type EspeakRunRequest, type EspeakRunResult } from './espeak-wasm-runtime';
export { PiperEngine, type PiperEngineOptions } from './piper-engine';
export { parsePiperVoiceConfig, type PiperVoiceConfig } from './piper-voice-config';
export { phonemesToIds, type PhonemeIds } from './piper-phoneme-ids';
export { splitClauses, type Clause } from './clause-split';
export { RemoteSpeechEngine, OPENAI_VOICES, type RemoteSpeechEngineOptions } from './remote-speech-engine';
