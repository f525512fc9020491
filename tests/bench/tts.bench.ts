import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { SpeakableSentenceStream } from '../../backend/speech/text';
import { EspeakEngine, EspeakWasmRuntime } from '../../backend/speech/tts';
import { percentile, type BenchRow } from './bench-table';

const run = promisify(execFile);

const ANSWER = 'Paris is the capital of France. It has a little over two million inhabitants.';
const WARM_RUNS = 40;
const CLI_RUNS = 15;
const COLD_RUNS = 4;

/**
 * Time to first audio of a spoken answer with espeak-ng: the whole two-sentence answer is there,
 * it is split into sentences and the first is synthesised to PCM with the WASM instance already
 * loaded (as in the backend, where it stays loaded). Baselines from the same run: a new espeak-ng
 * process per sentence (Debian's CLI, if installed), and a cold in-process call that instantiates
 * the WASM first, which is what every sentence would cost without a kept instance.
 */
export async function benchTextToSpeech(): Promise<BenchRow[]> {
  const engine = await EspeakEngine.load();
  const warm: number[] = [];
  for (let i = 0; i < WARM_RUNS; i++) {
    // Sentences of one answer arrive tens of ms apart: the instance's idle-time reset has run by then.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const started = performance.now();
    const stream = new SpeakableSentenceStream();
    const [first] = stream.push(ANSWER);
    if (!first) throw new Error('the splitter did not emit the first sentence');
    const speech = await engine.synthesize(first);
    warm.push(performance.now() - started);
    if (speech.pcm.length === 0) throw new Error('espeak-ng produced no audio');
  }
  const firstSentence = new SpeakableSentenceStream().push(ANSWER)[0]!;
  // The same sentence again straight after itself, no pause: the instance's memory reset is then on the clock.
  const backToBack: number[] = [];
  for (let i = 0; i < WARM_RUNS / 2; i++) {
    await engine.synthesize(firstSentence);
    const started = performance.now();
    await engine.synthesize(firstSentence);
    backToBack.push(performance.now() - started);
  }
  const cli = await measureCli(firstSentence);
  const cold = await measureCold(firstSentence);

  const baseline = cli ? { baselineName: 'espeak-ng CLI process', p50: percentile(cli, 50), p99: percentile(cli, 99) } : undefined;
  return [
    {
      name: `TTS first audio p50, espeak-ng WASM loaded (${WARM_RUNS} runs)`,
      value: percentile(warm, 50),
      unit: 'ms',
      ...(baseline ? { baselineName: baseline.baselineName, baseline: baseline.p50 } : {}),
      goal: '< 100 ms',
    },
    {
      name: `TTS first audio p99, espeak-ng WASM loaded (${WARM_RUNS} runs)`,
      value: percentile(warm, 99),
      unit: 'ms',
      ...(baseline ? { baselineName: baseline.baselineName, baseline: baseline.p99 } : {}),
    },
    {
      name: `TTS sentence p50, back to back (memory reset on the clock)`,
      value: percentile(backToBack, 50),
      unit: 'ms',
      ...(baseline ? { baselineName: baseline.baselineName, baseline: baseline.p50 } : {}),
    },
    {
      name: `TTS first audio p50, espeak-ng WASM loaded`,
      value: percentile(warm, 50),
      unit: 'ms',
      baselineName: 'cold: instantiate + synthesise',
      baseline: percentile(cold, 50),
    },
  ];
}

async function measureCli(sentence: string): Promise<number[] | undefined> {
  const dir = await mkdtemp(path.join(tmpdir(), 'parley-tts-bench-'));
  try {
    const samples: number[] = [];
    for (let i = 0; i < CLI_RUNS; i++) {
      const wav = path.join(dir, 'sentence.wav');
      const started = performance.now();
      try {
        await run('espeak-ng', ['-v', 'en-us', '-w', wav, sentence]);
      } catch {
        return undefined; // not installed
      }
      await readFile(wav);
      samples.push(performance.now() - started);
    }
    return samples;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function measureCold(sentence: string): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    const started = performance.now();
    const runtime = await EspeakWasmRuntime.create();
    const result = runtime.run(['-v', 'en-us', '-w', '/tmp/cold.wav', '-f', '/tmp/cold.txt'], { inputs: { '/tmp/cold.txt': sentence }, outputs: ['/tmp/cold.wav'] });
    if (!result.outputs.get('/tmp/cold.wav')) throw new Error('cold espeak-ng run produced no audio');
    samples.push(performance.now() - started);
  }
  return samples;
}
