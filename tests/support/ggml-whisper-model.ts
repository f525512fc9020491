/**
 * Writes whisper.cpp models with random weights in the real ggml file format, for tests and the
 * bench (no real weights can be downloaded here). The file is what `models/convert-pt-to-ggml.py`
 * writes and `whisper_model_load` reads:
 *
 *   magic 0x67676d6c, hparams (n_vocab, n_audio_ctx, n_audio_state, n_audio_head, n_audio_layer,
 *   n_text_ctx, n_text_state, n_text_head, n_text_layer, n_mels, ftype) as int32;
 *   mel filters (n_mel, n_fft, then n_mel·n_fft f32); vocabulary (count, then length + bytes each);
 *   then every tensor: n_dims, name length, type, ne[0..n_dims), name, data.
 *
 * The decoder is scripted (see ggml-whisper-decoder-script.ts) so that every transcription is the
 * same `words` tokens then end-of-text: a fixed decode budget for both engines in the bench.
 *
 * Models are generated once into a cache directory and reused (`cachedGgmlWhisperModel`).
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  maxScriptedWords,
  scriptedTranscript,
  scriptFinalLayerNorm,
  scriptPositionalEmbedding,
  scriptTokenEmbedding,
  type DecoderScript,
} from './ggml-whisper-decoder-script';
import { SeededRandom } from './ggml-whisper-random';
import { elementCount, ggmlWhisperTensors, type GgmlTensorSpec, type GgmlWhisperShape } from './ggml-whisper-tensors';
import { scriptedWord, vocabularyTokens, whisperTokenLayout } from './ggml-whisper-vocab';

export type { GgmlWhisperShape } from './ggml-whisper-tensors';
export { SCRIPTED_DETECTED_LANGUAGE } from './ggml-whisper-decoder-script';

export interface GgmlWhisperModelSpec {
  shape: GgmlWhisperShape;
  /** Text tokens every transcription writes before end-of-text (the decode budget). */
  words: number;
  seed?: number;
}

/** The shape of OpenAI's tiny.en (ggml-tiny.en.bin, ~75 MB in f16): for timing. */
export const TINY_EN_SHAPE: GgmlWhisperShape = {
  nVocab: 51864,
  nAudioCtx: 1500,
  nAudioState: 384,
  nAudioHead: 6,
  nAudioLayer: 4,
  nTextCtx: 448,
  nTextState: 384,
  nTextHead: 6,
  nTextLayer: 4,
  nMels: 80,
};

/**
 * A small shape for fast tests (~4 MB; a 3 s transcription takes ~0.17 s in the binding, ~0.05 s
 * in the CLI). What cannot shrink: n_vocab (whisper.cpp derives the special token ids from it; a
 * smaller one fails a GGML_ASSERT that aborts the whole process), n_mels (80: the mel front end),
 * n_audio_ctx (1500, for 30 s of audio; a smaller one is what audio_ctx would select). Two heads,
 * not one: whisper.cpp 1.5 (whisper-node's CLI) crashes (SIGSEGV) on any single-head model (the
 * binding's newer whisper.cpp runs them). Width 32 leaves room to script 13 words. Multilingual, so tests can see language detection (the script makes it
 * detect 'fr'); one text layer, not two (whisper.cpp takes a two-text-layer model for a distilled
 * one and changes how it decodes).
 */
export const TEST_SHAPE: GgmlWhisperShape = {
  nVocab: 51865,
  nAudioCtx: 1500,
  nAudioState: 32,
  nAudioHead: 2,
  nAudioLayer: 1,
  nTextCtx: 448,
  nTextState: 32,
  nTextHead: 2,
  nTextLayer: 1,
  nMels: 80,
};

/** About what a 3 s utterance decodes to (8 words, ~12 tokens). */
export const TINY_EN_MODEL: GgmlWhisperModelSpec = { shape: TINY_EN_SHAPE, words: 12 };
export const TEST_MODEL: GgmlWhisperModelSpec = { shape: TEST_SHAPE, words: 6 };

/** Bump when the file contents change, so caches regenerate. */
const GENERATOR_VERSION = 1;
const N_FFT_BINS = 201;
const GGML_MAGIC = 0x67676d6c;
const FTYPE_F16 = 1;

/** The text every transcription with this model returns (whisper trims nothing; callers may). */
export function scriptedText(spec: GgmlWhisperModelSpec): string {
  return scriptedTranscript(spec.words, scriptedWord);
}

/** The model file for `spec`, generated on first use into `<tmp>/parley-whisper-models`. */
export async function cachedGgmlWhisperModel(spec: GgmlWhisperModelSpec, cacheDir = join(tmpdir(), 'parley-whisper-models')): Promise<string> {
  const key = createHash('sha256').update(JSON.stringify({ GENERATOR_VERSION, ...spec })).digest('hex').slice(0, 12);
  const path = join(cacheDir, `ggml-random-${spec.shape.nAudioState}x${spec.shape.nAudioLayer}-${key}.bin`);
  if (existsSync(path)) return path;
  await mkdir(cacheDir, { recursive: true });
  // Written aside and renamed: parallel test files never read a half-written model.
  const partial = `${path}.${randomUUID()}.partial`;
  try {
    await writeGgmlWhisperModel(partial, spec);
    await rename(partial, path);
  } finally {
    await rm(partial, { force: true });
  }
  return path;
}

export async function writeGgmlWhisperModel(path: string, spec: GgmlWhisperModelSpec): Promise<void> {
  const { shape } = spec;
  if (shape.nAudioState !== shape.nTextState) throw new Error('whisper.cpp requires n_audio_state == n_text_state');
  if (spec.words < 1 || spec.words > maxScriptedWords(shape.nTextState)) {
    throw new Error(`words must be 1..${maxScriptedWords(shape.nTextState)} for width ${shape.nTextState}`);
  }
  const layout = whisperTokenLayout(shape.nVocab);
  const script: DecoderScript = { layout, nState: shape.nTextState, nTextCtx: shape.nTextCtx, words: spec.words };
  const random = new SeededRandom(spec.seed ?? 20_240_601);
  const file = await open(path, 'w');
  try {
    await file.write(header(shape));
    await file.write(melFilters(shape.nMels, random));
    await file.write(vocabulary(vocabularyTokens(layout)));
    const finalNorm = { weight: new Float32Array(shape.nTextState), bias: new Float32Array(shape.nTextState) };
    scriptFinalLayerNorm(script, finalNorm.weight, finalNorm.bias);
    for (const tensor of ggmlWhisperTensors(shape)) {
      const data = tensorData(tensor, random, (values) => {
        if (tensor.name === 'decoder.positional_embedding') scriptPositionalEmbedding(script, values as Float32Array);
        if (tensor.name === 'decoder.token_embedding.weight') scriptTokenEmbedding(script, values as Uint16Array, shape.nVocab);
        if (tensor.name === 'decoder.ln.weight') (values as Float32Array).set(finalNorm.weight);
        if (tensor.name === 'decoder.ln.bias') (values as Float32Array).set(finalNorm.bias);
      });
      await file.write(tensorHeader(tensor));
      await file.write(data);
    }
  } finally {
    await file.close();
  }
}

function header(shape: GgmlWhisperShape): Buffer {
  const fields = [
    shape.nVocab,
    shape.nAudioCtx,
    shape.nAudioState,
    shape.nAudioHead,
    shape.nAudioLayer,
    shape.nTextCtx,
    shape.nTextState,
    shape.nTextHead,
    shape.nTextLayer,
    shape.nMels,
    FTYPE_F16,
  ];
  const buffer = Buffer.alloc(4 * (1 + fields.length));
  buffer.writeUInt32LE(GGML_MAGIC, 0);
  fields.forEach((value, index) => buffer.writeInt32LE(value, 4 * (index + 1)));
  return buffer;
}

/** Random positive filters: the spectrogram's values do not matter, only that they are finite. */
function melFilters(nMels: number, random: SeededRandom): Buffer {
  const values = new Float32Array(nMels * N_FFT_BINS);
  random.fillFloat(values, 0.01);
  for (let index = 0; index < values.length; index++) values[index] = Math.abs(values[index]!);
  const sizes = Buffer.alloc(8);
  sizes.writeInt32LE(nMels, 0);
  sizes.writeInt32LE(N_FFT_BINS, 4);
  return Buffer.concat([sizes, Buffer.from(values.buffer)]);
}

function vocabulary(tokens: Buffer[]): Buffer {
  const parts: Buffer[] = [int32(tokens.length)];
  for (const token of tokens) parts.push(int32(token.length), token);
  return Buffer.concat(parts);
}

function tensorHeader(tensor: GgmlTensorSpec): Buffer {
  const name = Buffer.from(tensor.name);
  return Buffer.concat([int32(tensor.ne.length), int32(name.length), int32(tensor.type), ...tensor.ne.map(int32), name]);
}

function tensorData(tensor: GgmlTensorSpec, random: SeededRandom, script: (values: Float32Array | Uint16Array) => void): Buffer {
  const count = elementCount(tensor);
  if (tensor.type === FTYPE_F16) {
    const values = new Uint16Array(count);
    random.fillHalf(values);
    script(values);
    return Buffer.from(values.buffer);
  }
  const values = new Float32Array(count);
  random.fillFloat(values, 0.05);
  script(values);
  return Buffer.from(values.buffer);
}

function int32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeInt32LE(value, 0);
  return buffer;
}
