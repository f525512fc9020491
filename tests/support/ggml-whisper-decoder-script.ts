/**
 * Random weights make whisper babble until its 224-token cap, with timestamps that can send the
 * seek loop round the same window many times: useless for timing and slow for tests. So the
 * decoder's last stage is scripted: a few tensors get exact values that make every transcription
 * write the same `words` tokens (" alpha bravo charlie ...") and then end-of-text, whatever the
 * audio. Everything else stays random, so the encoder and every decoder step do the full,
 * real-sized work: timing measures the encoder plus exactly `words` + 1 decoder steps.
 *
 * How: the residual stream at position p is token_embedding[input] + positional_embedding[p] +
 * what the blocks add. Position p's positional embedding is a large vector along a direction that
 * belongs to the word to write at p (the blocks' random contributions are small next to it).
 * The final layer norm turns it into a unit-ish vector along that direction, and the logits are
 * token_embedding · hidden, so the one token whose embedding row lies along the same direction
 * wins by a wide margin. Directions are pairs of coordinates (e[2i] - e[2i+1]: zero mean, so the
 * layer norm keeps them). Timestamp rows point against a bias the final layer norm always adds, so
 * timestamps are never chosen; without them whisper treats the window as one segment.
 */
import { FIRST_SCRIPTED_TOKEN, WHISPER_LANGUAGE_INDEX, type WhisperTokenLayout } from './ggml-whisper-vocab';

/** Positional embeddings are f32 and this large, so the blocks' output (norm ~10) cannot steer. */
const POSITION_STRENGTH = 100;
/** Token rows: large enough that the scripted token's probability is ~1 against 51k others. */
const TOKEN_STRENGTH = 2;
/** The final layer norm's bias along the timestamp direction: timestamp logits ≈ -2·2·8 = -32. */
const TIMESTAMP_BIAS = 8;

/** Which direction (coordinate pair) carries what. */
const TIMESTAMP_PAIR = 0;
/** Multilingual models read the language from position 0; the script makes it French. */
const LANGUAGE_PAIR = 1;
const FIRST_WORD_PAIR = 2;

export interface DecoderScript {
  layout: WhisperTokenLayout;
  nState: number;
  nTextCtx: number;
  /** Text tokens written before end-of-text. */
  words: number;
}

/** The most words a model of this width can script (two coordinates per direction). */
export function maxScriptedWords(nState: number): number {
  return Math.floor(nState / 2) - FIRST_WORD_PAIR - 1;
}

/** The language auto-detection finds in a scripted multilingual model. */
export const SCRIPTED_DETECTED_LANGUAGE = 'fr';

export function scriptPositionalEmbedding(script: DecoderScript, data: Float32Array): void {
  data.fill(0);
  // The prompt is [start-of-transcript] (English-only) or [sot, language, task] (multilingual);
  // the last prompt position writes the first word.
  const firstWordPosition = script.layout.multilingual ? 2 : 0;
  for (let position = 0; position < script.nTextCtx; position++) {
    const word = position - firstWordPosition;
    const pair = word < 0 ? LANGUAGE_PAIR : word < script.words ? FIRST_WORD_PAIR + word : FIRST_WORD_PAIR + script.words;
    setPair(data, position * script.nState, pair, POSITION_STRENGTH);
  }
}

/** Overwrites the rows that matter in the (already random) f16 token embedding. */
export function scriptTokenEmbedding(script: DecoderScript, data: Uint16Array, nVocab: number): void {
  const row = (token: number) => data.subarray(token * script.nState, (token + 1) * script.nState);
  const setRow = (token: number, pair: number, strength: number) => {
    const target = row(token);
    target.fill(0);
    target[2 * pair] = toHalf(strength);
    target[2 * pair + 1] = toHalf(-strength);
  };
  for (let word = 0; word < script.words; word++) setRow(FIRST_SCRIPTED_TOKEN + word, FIRST_WORD_PAIR + word, TOKEN_STRENGTH);
  setRow(script.layout.endOfText, FIRST_WORD_PAIR + script.words, TOKEN_STRENGTH);
  setRow(script.layout.language(WHISPER_LANGUAGE_INDEX[SCRIPTED_DETECTED_LANGUAGE]), LANGUAGE_PAIR, TOKEN_STRENGTH);
  for (let token = script.layout.timestampBegin; token < nVocab; token++) setRow(token, TIMESTAMP_PAIR, -TOKEN_STRENGTH);
}

export function scriptFinalLayerNorm(script: DecoderScript, weight: Float32Array, bias: Float32Array): void {
  weight.fill(1);
  bias.fill(0);
  setPair(bias, 0, TIMESTAMP_PAIR, TIMESTAMP_BIAS);
}

export function scriptedTranscript(words: number, word: (index: number) => string): string {
  return Array.from({ length: words }, (_, index) => word(index)).join('');
}

function setPair(data: Float32Array, offset: number, pair: number, strength: number): void {
  data[offset + 2 * pair] = strength;
  data[offset + 2 * pair + 1] = -strength;
}

/** IEEE 754 half precision for the few exact constants the script needs (normal range only). */
export function toHalf(value: number): number {
  if (value === 0) return 0;
  const sign = value < 0 ? 0x8000 : 0;
  const magnitude = Math.abs(value);
  const exponent = Math.floor(Math.log2(magnitude));
  const mantissa = Math.round((magnitude / 2 ** exponent - 1) * 1024);
  return sign | ((exponent + 15) << 10) | mantissa;
}
