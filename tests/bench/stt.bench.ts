import { availableParallelism } from 'node:os';
import {
  audioContextFor,
  InProcessWhisperEngine,
  SmartWhisperEngine,
  smartWhisperSimd,
  WhisperCliEngine,
  type AudioContextMode,
  type SpeechToTextEngine,
} from '../../backend/speech/stt';
import { whisperCliPath } from '../support/ggml-whisper-cli';
import { cachedGgmlWhisperModel, TINY_EN_MODEL, type GgmlWhisperModelSpec } from '../support/ggml-whisper-model';
import { speechOfSeconds } from '../support/ggml-whisper-speech';
import { median, type BenchRow } from './bench-table';

const RUNS = 3;
const THREADS = Math.min(4, availableParallelism());
/** @fugood/whisper.node's CPU build takes ~15 s per 30 s window of tiny.en on two cores. */
const TIMEOUT_MS = 180_000;

/**
 * End of speech → final text, for a 3 s and a 10 s espeak-ng utterance, with a tiny.en-shaped model
 * of random weights whose decoder is scripted to write 12 words then stop: every engine does the
 * same encoder work plus the same 13 decoder steps, greedy, no temperature fallback, same threads.
 * Every ratio is against whisper-node's CLI on the same utterance, in the same run.
 *
 * - smart-whisper: whisper.cpp compiled on install (with AVX2/FMA/F16C when CFLAGS has them, see
 *   backend/speech/stt/smart-whisper-addon.ts), in-process, model loaded beforehand; audio_ctx
 *   'auto' scales the encoder window to the utterance, 'full' encodes the whole 30 s window.
 * - @fugood/whisper.node: prebuilt, in-process, model loaded beforehand.
 * - whisper-node: whisper.cpp's CLI from whisper-node's sources, spawned per file (reloads the
 *   model every time), built by `make` for this CPU (AVX2/FMA/F16C), as whisper-node would build it.
 * - whisper-node (SSE2): the same CLI built without the CPU's extensions, like @fugood's prebuilt
 *   binary (plain x86-64, no AVX): the two architectures on equal arithmetic. @fugood still
 *   computes on one core only (its CPU time equals its wall time whatever maxThreads says).
 * - "audio_ctx emulated": neither @fugood nor whisper-node's CLI (1.5) can pass audio_ctx, so they
 *   get a model whose n_audio_ctx is the utterance's audio_ctx (positional embedding cut to that
 *   length): the same encoder computation audio_ctx selects.
 */
export async function benchSpeechToText(): Promise<BenchRow[]> {
  const progress = (text: string) => process.stderr.write(`  stt: ${text}\n`);
  const [speech3, speech10] = await Promise.all([speechOfSeconds(3), speechOfSeconds(10)]);
  const fullModel = await cachedGgmlWhisperModel(TINY_EN_MODEL);
  const shortModel = (pcm: Float32Array) => cachedGgmlWhisperModel(withAudioContext(TINY_EN_MODEL, audioContextFor(pcm.length)));
  const [model3, model10] = [await shortModel(speech3), await shortModel(speech10)];
  progress('building whisper.cpp CLI (cached after the first run)…');
  const [nativeCli, baselineCli] = [await whisperCliPath('native'), await whisperCliPath('baseline')];

  const smart = (modelPath: string) => new SmartWhisperEngine({ modelPath, threads: THREADS, timeoutMs: TIMEOUT_MS, temperatureFallback: false });
  const fugood = (modelPath: string) => new InProcessWhisperEngine({ modelPath, threads: THREADS, timeoutMs: TIMEOUT_MS, temperatureFallback: false });
  const cli = (cliPath: string, modelPath: string) =>
    new WhisperCliEngine({ cliPath, modelPath, threads: THREADS, timeoutMs: TIMEOUT_MS, temperatureFallback: false, beamSize: 1 });

  interface Contender {
    engine: SpeechToTextEngine;
    pcm: Float32Array;
    audioContext: AudioContextMode;
  }
  /**
   * Medians of RUNS runs, the contenders taking turns within each run: other work on the machine
   * (whisper.cpp's threads spin while they wait for each other, so it suffers from any) then
   * slows every contender of a run alike, and the ratios stay fair.
   */
  const measureInTurns = async <const C extends readonly Contender[]>(label: string, contenders: C, runs = RUNS): Promise<{ [K in keyof C]: number }> => {
    progress(`${label}…`);
    const engines = [...new Set(contenders.map((contender) => contender.engine))];
    for (const engine of engines) await engine.load();
    try {
      // Warm-up: page cache, first allocations.
      for (const { engine, pcm, audioContext } of contenders) await engine.transcribe(pcm, { language: 'en', audioContext });
      const samples = contenders.map((): number[] => []);
      for (let run = 0; run < runs; run++) {
        for (const [index, { engine, pcm, audioContext }] of contenders.entries()) {
          const started = performance.now();
          await engine.transcribe(pcm, { language: 'en', audioContext });
          samples[index]!.push(performance.now() - started);
        }
      }
      return samples.map(median) as { [K in keyof C]: number };
    } finally {
      for (const engine of engines) await engine.unload();
    }
  };
  const timeLoad = async (engine: SpeechToTextEngine): Promise<number> => {
    const started = performance.now();
    await engine.load();
    const elapsed = performance.now() - started;
    await engine.unload();
    return elapsed;
  };

  const smartFirstLoad = await timeLoad(smart(fullModel));
  const smartLoad = await timeLoad(smart(fullModel));
  const fugoodLoad = await timeLoad(fugood(fullModel));

  const fast = async (pcm: Float32Array, shortModelPath: string) => {
    const smartEngine = smart(fullModel);
    return measureInTurns(
      `whisper-node CLI, smart-whisper (audio_ctx auto, full), CLI with audio_ctx emulated: ${(pcm.length / 16_000).toFixed(0)} s`,
      [
        { engine: cli(nativeCli, fullModel), pcm, audioContext: 'full' },
        { engine: smartEngine, pcm, audioContext: 'auto' },
        { engine: smartEngine, pcm, audioContext: 'full' },
        { engine: cli(nativeCli, shortModelPath), pcm, audioContext: 'full' },
      ],
      2 * RUNS,
    );
  };
  const [cli3, smartAuto3, smartFull3, cliShort3] = await fast(speech3, model3);
  const [cli10, smartAuto10, smartFull10, cliShort10] = await fast(speech10, model10);
  // @fugood takes ~12 s a run: measured on its own, each with its own CLI turn for the ratio.
  const slow = (label: string, engine: SpeechToTextEngine, cliEngine: SpeechToTextEngine, pcm: Float32Array) =>
    measureInTurns(label, [
      { engine: cliEngine, pcm, audioContext: 'full' },
      { engine, pcm, audioContext: 'full' },
    ]);
  const [fugoodCli3, fugoodFull3] = await slow('@fugood, full window, 3 s', fugood(fullModel), cli(nativeCli, fullModel), speech3);
  const [fugoodCli10, fugoodFull10] = await slow('@fugood, full window, 10 s', fugood(fullModel), cli(nativeCli, fullModel), speech10);
  const [fugoodShortCli3, fugoodShort3] = await slow('@fugood, audio_ctx emulated, 3 s', fugood(model3), cli(nativeCli, fullModel), speech3);
  const [fugoodShortCli10, fugoodShort10] = await slow('@fugood, audio_ctx emulated, 10 s', fugood(model10), cli(nativeCli, fullModel), speech10);
  const [baselineCli3, fugoodEqual3] = await slow('@fugood vs whisper-node CLI (SSE2 build), 3 s', fugood(fullModel), cli(baselineCli, fullModel), speech3);

  const endToText = 'STT end of speech → final text';
  const versusCli = 'whisper-node CLI, spawn per file';
  const [ctx3, ctx10] = [audioContextFor(speech3.length), audioContextFor(speech10.length)];
  const simd = smartWhisperSimd();
  return [
    { name: `${endToText}, 3 s, smart-whisper in-process, audio_ctx auto (${ctx3})`, value: smartAuto3, unit: 'ms', baselineName: versusCli, baseline: cli3, goal: '≥ 3× faster (ratio ≤ 0.33), < 500 ms' },
    { name: `${endToText}, 10 s, smart-whisper in-process, audio_ctx auto (${ctx10})`, value: smartAuto10, unit: 'ms', baselineName: versusCli, baseline: cli10 },
    { name: `${endToText}, 3 s, smart-whisper in-process, full window`, value: smartFull3, unit: 'ms', baselineName: versusCli, baseline: cli3 },
    { name: `${endToText}, 10 s, smart-whisper in-process, full window`, value: smartFull10, unit: 'ms', baselineName: versusCli, baseline: cli10 },
    { name: `${endToText}, 3 s, @fugood/whisper.node in-process, full window`, value: fugoodFull3, unit: 'ms', baselineName: versusCli, baseline: fugoodCli3 },
    { name: `${endToText}, 10 s, @fugood/whisper.node in-process, full window`, value: fugoodFull10, unit: 'ms', baselineName: versusCli, baseline: fugoodCli10 },
    { name: `${endToText}, 3 s, @fugood/whisper.node, audio_ctx emulated (${ctx3})`, value: fugoodShort3, unit: 'ms', baselineName: versusCli, baseline: fugoodShortCli3 },
    { name: `${endToText}, 10 s, @fugood/whisper.node, audio_ctx emulated (${ctx10})`, value: fugoodShort10, unit: 'ms', baselineName: versusCli, baseline: fugoodShortCli10 },
    { name: `${endToText}, 3 s, whisper-node CLI, audio_ctx emulated (${ctx3})`, value: cliShort3, unit: 'ms', baselineName: versusCli, baseline: cli3 },
    { name: `${endToText}, 10 s, whisper-node CLI, audio_ctx emulated (${ctx10})`, value: cliShort10, unit: 'ms', baselineName: versusCli, baseline: cli10 },
    { name: `${endToText}, 3 s, @fugood vs CLI on equal (SSE2) arithmetic`, value: fugoodEqual3, unit: 'ms', baselineName: 'whisper-node CLI built like @fugood', baseline: baselineCli3 },
    { name: `STT smart-whisper model load, tiny.en-sized, first (checked in a child process; compiled: ${simd})`, value: smartFirstLoad, unit: 'ms' },
    { name: 'STT smart-whisper model load, file already checked (off the event loop)', value: smartLoad, unit: 'ms' },
    { name: 'STT @fugood/whisper.node model load (blocks the event loop)', value: fugoodLoad, unit: 'ms' },
  ];
}

function withAudioContext(spec: GgmlWhisperModelSpec, nAudioCtx: number): GgmlWhisperModelSpec {
  return { ...spec, shape: { ...spec.shape, nAudioCtx } };
}
