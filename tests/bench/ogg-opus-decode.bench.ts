import { Worker } from 'node:worker_threads';
import { OggOpusDecoder } from 'ogg-opus-decoder';
import { decodeOggOpus, encodeOggOpus } from '../../backend/speech/audio';
import { seededRandom, speechLike } from '../backend/base/audio/signals';
import { median, type BenchRow } from './bench-table';
import type { DecodeOutcome, DecodeRequest, DecoderName } from './ogg-opus-decode.worker';

const RUNS = 5;
const DAMAGED_INPUTS = 500;
/** Longer than any decode of these inputs takes (the intact 10 s file decodes in well under 100 ms). */
const HANG_MS = 5000;

/**
 * Ogg Opus uploads: Parley's decoder (its own Ogg page reader, CRC-checked, + libopus 1.4 through
 * opusscript) against ogg-opus-decoder (codec-parser + libopus 1.5 as WASM, 48 kHz floats).
 *
 * - Speed: a 10 s and a 60 s file written by Parley's encoder (speech-like audio, 24 kbps), median
 *   of RUNS decodes each; ogg-opus-decoder with its WASM compiled beforehand (its first use, compile
 *   included, is a row of its own).
 * - Robustness: DAMAGED_INPUTS inputs made from the 10 s file (a third truncated at a random byte, a
 *   third with 1-8 random bits flipped, a third random bytes, half of those behind "OggS"); each
 *   decoded in a worker with a HANG_MS deadline. Counted: clean refusals (an AudioFormatError; for
 *   ogg-opus-decoder a non-empty `errors` list), other exceptions, hangs, and inputs decoded without
 *   a word, of which those that came out longer than the intact file (audio that is not there).
 */
export async function benchOggOpusDecode(): Promise<BenchRow[]> {
  const progress = (text: string) => process.stderr.write(`  ogg opus: ${text}\n`);
  const file = (seconds: number) => encodeOggOpus({ samples: speechLike(48_000, seconds), sampleRate: 48_000 }, { serial: seconds });
  const [file10, file60] = [file(10), file(60)];

  const coldStart = performance.now();
  const first = new OggOpusDecoder();
  await first.ready;
  await first.decodeFile(file10);
  first.free();
  const coldMs = performance.now() - coldStart;

  const rows: BenchRow[] = [];
  for (const [seconds, bytes] of [
    [10, file10],
    [60, file60],
  ] as const) {
    progress(`decoding the ${seconds} s file (${Math.round(bytes.length / 1024)} KB)…`);
    const parley: number[] = [];
    const wasm: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      let started = performance.now();
      decodeOggOpus(bytes);
      parley.push(performance.now() - started);
      const decoder = new OggOpusDecoder();
      await decoder.ready;
      started = performance.now();
      await decoder.decodeFile(bytes);
      wasm.push(performance.now() - started);
      decoder.free();
    }
    rows.push({ name: `Ogg Opus decode, ${seconds} s file: ogg-opus-decoder`, value: median(wasm), unit: 'ms', baselineName: 'Parley', baseline: median(parley), goal: '≤ Parley' });
  }
  rows.push({ name: 'ogg-opus-decoder first use (WASM compile + 10 s decode)', value: coldMs, unit: 'ms' });

  progress(`${DAMAGED_INPUTS} damaged inputs through each decoder…`);
  const intactSamples = decodeOggOpus(file10).samples.length;
  const inputs = damagedInputs(file10, DAMAGED_INPUTS);
  for (const decoder of ['parley', 'ogg-opus-decoder'] as const) {
    const counts = await robustness(decoder, inputs, intactSamples);
    progress(`${decoder}: ${JSON.stringify(counts)}`);
    for (const [what, count] of Object.entries(counts)) rows.push({ name: `${DAMAGED_INPUTS} damaged Ogg Opus inputs, ${decoder}: ${what}`, value: count, unit: 'inputs' });
  }
  return rows;
}

function damagedInputs(intact: Uint8Array, count: number): Uint8Array[] {
  const random = seededRandom(7845);
  return Array.from({ length: count }, (_, index) => {
    switch (index % 3) {
      case 0:
        return intact.slice(0, Math.floor(random() * intact.length));
      case 1: {
        const flipped = Uint8Array.from(intact);
        for (let flips = 1 + Math.floor(random() * 8); flips > 0; flips--) flipped[Math.floor(random() * flipped.length)]! ^= 1 << Math.floor(random() * 8);
        return flipped;
      }
      default: {
        const noise = Uint8Array.from({ length: 4 + Math.floor(random() * 20_000) }, () => Math.floor(random() * 256));
        if (random() < 0.5) noise.set([0x4f, 0x67, 0x67, 0x53]);
        return noise;
      }
    }
  });
}

interface RobustnessCounts {
  'clean refusals': number;
  'decoded without error': number;
  'of which longer than the intact file': number;
  'other exceptions': number;
  hangs: number;
}

async function robustness(decoder: DecoderName, inputs: Uint8Array[], intactSamples: number): Promise<RobustnessCounts> {
  const counts: RobustnessCounts = { 'clean refusals': 0, 'decoded without error': 0, 'of which longer than the intact file': 0, 'other exceptions': 0, hangs: 0 };
  let worker = new Worker(new URL('./ogg-opus-decode.worker.ts', import.meta.url));
  try {
    for (const bytes of inputs) {
      const outcome = await decodeWithin(worker, { decoder, bytes });
      if (outcome === 'hang') {
        counts.hangs++;
        await worker.terminate();
        worker = new Worker(new URL('./ogg-opus-decode.worker.ts', import.meta.url));
        continue;
      }
      if (outcome.outcome === 'refused') counts['clean refusals']++;
      else if (outcome.outcome === 'exception') {
        counts['other exceptions']++;
        process.stderr.write(`  ogg opus: ${decoder} threw on a ${bytes.length}-byte input: ${outcome.message}\n`);
      }
      else {
        counts['decoded without error']++;
        if (outcome.samples > intactSamples) counts['of which longer than the intact file']++;
      }
    }
  } finally {
    await worker.terminate();
  }
  return counts;
}

function decodeWithin(worker: Worker, request: DecodeRequest): Promise<DecodeOutcome | 'hang'> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      worker.off('message', onMessage);
      resolve('hang');
    }, HANG_MS);
    const onMessage = (outcome: DecodeOutcome) => {
      clearTimeout(timer);
      resolve(outcome);
    };
    worker.once('message', onMessage);
    worker.postMessage(request);
  });
}
