// A Piper voice with Piper's ONNX signature (input, input_lengths, scales [, sid] → output
// [1, 1, samples]) and random weights, and its .onnx.json: enough to run PiperEngine end to end.
// The network looks up SAMPLES_PER_ID samples of a table for every phoneme id and repeats the
// whole result ceil(length scale) times, so a slower speed makes longer audio, as in a real voice;
// a two-speaker voice adds a per-speaker offset. The expected audio of any input is known exactly.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { model, node, tensor, valueInfo } from './onnx-protobuf';

export const SAMPLES_PER_ID = 32;
export const SPEAKER_OFFSETS = [0, 0.5];
const INT64 = 7;

/** Piper's symbols, then the IPA espeak-ng writes for English, French and German; ids in order. */
const SYMBOLS = ['_', '^', '$', ' ', '!', "'", '(', ')', ',', '-', '.', ':', ';', '?', ...'abcdefghijklmnopqrstuvwxyz', ...'æçðøħŋœǀǁǂǃɐɑɒɓɔɕɖɗɘəɚɛɜɞɟɠɡɢɣɤɥɦɧɨɪɫɬɭɮɯɰɱɲɳɴɵɶɸɹɺɻɽɾʀʁʂʃʄʈʉʊʋʌʍʎʏʐʑʒʔʕʘʙʛʜʝʟʡʢʲˈˌːˑ˞βθχᵻⱱ', '\u0303', '\u0329'];

export const PHONEME_ID_MAP: Record<string, number[]> = Object.fromEntries(SYMBOLS.map((symbol, index) => [symbol, [index]]));

export interface TinyPiperVoice {
  modelPath: string;
  configPath: string;
  /** Row i is what id i sounds like. */
  table: Float32Array[];
}

export function writeTinyPiperVoice(dir: string, options: { speakers?: 1 | 2; sampleRate?: number; seed?: number } = {}): TinyPiperVoice {
  const speakers = options.speakers ?? 1;
  const table = randomTable(SYMBOLS.length, SAMPLES_PER_ID, options.seed ?? 7);
  const nodes = [
    node('Gather', ['table', 'input'], ['looked_up']), // [1, N, K]
    node('Reshape', ['looked_up', 'flat_shape'], ['flat']), // [1, 1, N·K]
    node('Gather', ['scales', 'length_scale_index'], ['length_scale']), // scalar
    node('Ceil', ['length_scale'], ['length_scale_ceiled']),
    node('Cast', ['length_scale_ceiled'], ['repeat_count'], { to: INT64 }),
    node('Reshape', ['repeat_count', 'one_dim'], ['repeat_count_1d']),
    node('Concat', ['ones', 'repeat_count_1d'], ['repeats'], { axis: 0 }), // [1, 1, ceil(length scale)]
    node('Tile', ['flat', 'repeats'], [speakers > 1 ? 'tiled' : 'output']),
  ];
  const initializers = [
    tensor('table', 'float', [SYMBOLS.length, SAMPLES_PER_ID], table.flatMap((row) => [...row])),
    tensor('flat_shape', 'int64', [3], [1, 1, -1]),
    tensor('length_scale_index', 'int64', [], [1]),
    tensor('one_dim', 'int64', [1], [1]),
    tensor('ones', 'int64', [2], [1, 1]),
  ];
  const inputs = [valueInfo('input', 'int64', [1, 'phonemes']), valueInfo('input_lengths', 'int64', [1]), valueInfo('scales', 'float', [3])];
  if (speakers > 1) {
    nodes.push(node('Gather', ['speaker_offsets', 'sid'], ['speaker_offset']), node('Add', ['tiled', 'speaker_offset'], ['output']));
    initializers.push(tensor('speaker_offsets', 'float', [speakers], SPEAKER_OFFSETS.slice(0, speakers)));
    inputs.push(valueInfo('sid', 'int64', [1]));
  }
  const onnx = model({ nodes, initializers, inputs, outputs: [valueInfo('output', 'float', [1, 1, 'samples'])] });
  const modelPath = path.join(dir, speakers > 1 ? 'tiny-multi.onnx' : 'tiny.onnx');
  writeFileSync(modelPath, onnx);
  const config = {
    dataset: speakers > 1 ? 'tiny-multi' : 'tiny',
    audio: { sample_rate: options.sampleRate ?? 16000, quality: 'x_low' },
    espeak: { voice: 'en-us' },
    language: { code: 'en_US' },
    inference: { noise_scale: 0.667, length_scale: 1, noise_w: 0.8 },
    phoneme_type: 'espeak',
    phoneme_id_map: PHONEME_ID_MAP,
    num_speakers: speakers,
    speaker_id_map: speakers > 1 ? { alice: 0, bob: 1 } : {},
    piper_version: '1.0.0',
  };
  writeFileSync(`${modelPath}.json`, JSON.stringify(config));
  return { modelPath, configPath: `${modelPath}.json`, table };
}

/** What the tiny voice answers for `ids` (before PiperEngine normalises it). */
export function expectedTinyOutput(voice: TinyPiperVoice, ids: number[], lengthScale: number, speakerOffset = 0): Float32Array {
  const once = ids.flatMap((id) => [...voice.table[id]!]);
  const repeated = Array.from({ length: Math.ceil(lengthScale) }, () => once).flat();
  return Float32Array.from(repeated, (sample) => sample + speakerOffset);
}

/** A fixed pseudo-random table (mulberry32), so a failing run can be reproduced. */
function randomTable(rows: number, columns: number, seed: number): Float32Array[] {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Array.from({ length: rows }, () => Float32Array.from({ length: columns }, () => (next() * 2 - 1) * 0.5));
}
