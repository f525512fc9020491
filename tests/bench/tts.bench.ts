import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { SpeakableSentenceStream } from '../../backend/speech/text';
import { EspeakEngine, EspeakWasmRuntime } from '../../backend/speech/tts';
import { percentile, type BenchRow } from './bench-table';

const run = promisify(execFile);

const ANSWER = 'Paris is the capital of France. It has a little over two million inhabitants.';
const WARM_RUNS = 40;
const PROCESS_RUNS = 15;
const COLD_RUNS = 4;

/**
 * Time to first audio of a spoken answer with espeak-ng: the whole two-sentence answer is there,
 * it is split into sentences and the first is synthesised to PCM with the WASM instance already
 * loaded (as in the backend, where it stays loaded). Baselines from the same run: a new process per
 * sentence running the same espeak-ng program (the npm WASM build, so no system package is
 * needed: what spawning a TTS command per sentence costs), and a cold in-process call that
 * instantiates the WASM first, which is what every sentence would cost without a kept instance.
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
  const cli = await measureProcessPerSentence(firstSentence);
  const cold = await measureCold(firstSentence);

  const baseline = { baselineName: 'espeak-ng process per sentence', p50: percentile(cli, 50), p99: percentile(cli, 99) };
  return [
    {
      name: `TTS first audio p50, espeak-ng WASM loaded (${WARM_RUNS} runs)`,
      value: percentile(warm, 50),
      unit: 'ms',
      baselineName: baseline.baselineName,
      baseline: baseline.p50,
      goal: '< 100 ms',
    },
    {
      name: `TTS first audio p99, espeak-ng WASM loaded (${WARM_RUNS} runs)`,
      value: percentile(warm, 99),
      unit: 'ms',
      baselineName: baseline.baselineName,
      baseline: baseline.p99,
    },
    {
      name: `TTS sentence p50, back to back (memory reset on the clock)`,
      value: percentile(backToBack, 50),
      unit: 'ms',
      baselineName: baseline.baselineName,
      baseline: baseline.p50,
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

/** The espeak-ng program run once in a new Node process, as a command would be: it prints the WAV's size. */
const ESPEAK_PROCESS = `
  import factory from 'espeak-ng';
  const module = await factory({ arguments: ['-v', 'en-us', '-w', '/tmp/sentence.wav', process.argv[1]], print: () => {}, printErr: () => {} });
  process.stdout.write(String(module.FS.readFile('/tmp/sentence.wav').length));
`;

async function measureProcessPerSentence(sentence: string): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < PROCESS_RUNS; i++) {
    const started = performance.now();
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', ESPEAK_PROCESS, sentence]);
    if (!(Number(stdout) > 44)) throw new Error(`the espeak-ng process wrote no audio (${stdout})`);
    samples.push(performance.now() - started);
  }
  return samples;
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
