import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as OnnxRuntime from 'onnxruntime-node';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { CAPTURE_SAMPLE_RATE } from '#protocol';

/** Silero v5 at 16 kHz reads 512 new samples (32 ms) per call. */
export const SILERO_WINDOW_SAMPLES = 512;
/**
 * v5 also wants the last 64 samples of the previous window in front of the new ones (576 in all),
 * as silero-vad's own `OnnxWrapper` does; without them an onset that straddles a window boundary is
 * seen late and the probabilities are noticeably flatter.
 */
const CONTEXT_SAMPLES = 64;
const STATE_SHAPE = [2, 1, 128] as const;

/** Anything that turns 32 ms windows into speech probabilities; the detector depends on this only. */
export interface SpeechProbabilityModel {
  /** One window of exactly {@link SILERO_WINDOW_SAMPLES} samples in [-1, 1]; answers P(speech). */
  process(window: Float32Array): Promise<number>;
  /** Forgets everything heard so far (recurrent state and context). */
  reset(): void;
}

type Ort = typeof OnnxRuntime;

/**
 * The model file ships inside @ricky0123/vad-web. Resolved through the package, not a path relative
 * to this file, so it is found the same way from the sources, from the bundled backend
 * (out/backend/index.js) and from a packaged app.
 */
export function sileroModelPath(version: 'v5' = 'v5'): string {
  const require = createRequire(import.meta.url);
  const packageDir = path.dirname(require.resolve('@ricky0123/vad-web/package.json'));
  return path.join(packageDir, 'dist', `silero_vad_${version}.onnx`);
}

export interface SileroSession {
  readonly ort: Ort;
  readonly session: InferenceSession;
  readonly modelPath: string;
}

const sessions = new Map<string, Promise<SileroSession>>();

/**
 * One inference session per model file per process: sessions are stateless and safe to share, the
 * recurrent state lives in each {@link SileroVad}. onnxruntime is imported here, on first use, so
 * a backend that never listens does not load the native addon.
 */
export function loadSileroSession(modelPath: string = sileroModelPath()): Promise<SileroSession> {
  let loading = sessions.get(modelPath);
  if (!loading) {
    loading = createSession(modelPath);
    // A failed load is not cached: the next stream tries again.
    loading.catch(() => sessions.delete(modelPath));
    sessions.set(modelPath, loading);
  }
  return loading;
}

async function createSession(modelPath: string): Promise<SileroSession> {
  const ort = await import('onnxruntime-node');
  // Read the bytes ourselves: Electron's fs reads inside an asar archive, onnxruntime's native loader cannot.
  const bytes = await readFile(modelPath);
  // The model is tiny (~2 MB, well under 1 ms a window): threads cost more than they save, and the
  // machine's cores belong to whisper.
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  for (const name of ['input', 'state', 'sr']) {
    if (!session.inputNames.includes(name)) throw new Error(`${modelPath} is not a Silero v5 model (no input "${name}")`);
  }
  for (const name of ['output', 'stateN']) {
    if (!session.outputNames.includes(name)) throw new Error(`${modelPath} is not a Silero v5 model (no output "${name}")`);
  }
  return { ort, session, modelPath };
}

/**
 * Silero VAD v5 for one audio stream: feeds 512-sample windows at 16 kHz and carries the recurrent
 * state and the 64-sample context from one window to the next. Calls must not overlap (the state of
 * window n feeds window n+1); {@link VoiceActivityDetector} serialises them.
 */
export class SileroVad implements SpeechProbabilityModel {
  private state: Tensor;
  private readonly sampleRate: Tensor;
  /** [context | window], reused: the tensor wraps it, onnxruntime copies it in `run`. */
  private readonly input = new Float32Array(CONTEXT_SAMPLES + SILERO_WINDOW_SAMPLES);

  /** A stream on the process's shared session for the bundled v5 model (or `modelPath`). */
  static async create(options: { modelPath?: string } = {}): Promise<SileroVad> {
    return new SileroVad(await loadSileroSession(options.modelPath));
  }

  constructor(private readonly model: SileroSession) {
    this.state = this.zeroState();
    this.sampleRate = new model.ort.Tensor('int64', BigInt64Array.of(BigInt(CAPTURE_SAMPLE_RATE)), []);
  }

  async process(window: Float32Array): Promise<number> {
    if (window.length !== SILERO_WINDOW_SAMPLES) {
      throw new RangeError(`Silero expects ${SILERO_WINDOW_SAMPLES} samples a window, got ${window.length}`);
    }
    this.input.copyWithin(0, SILERO_WINDOW_SAMPLES); // the previous window's tail becomes the context
    this.input.set(window, CONTEXT_SAMPLES);
    const { ort, session } = this.model;
    const input = new ort.Tensor('float32', this.input, [1, this.input.length]);
    const out = await session.run({ input, state: this.state, sr: this.sampleRate });
    const stateN = out['stateN'];
    const probability = out['output']?.data[0];
    if (!stateN || typeof probability !== 'number') throw new Error('Silero returned no output or state');
    this.state = stateN;
    return Number.isFinite(probability) ? probability : 0;
  }

  reset(): void {
    this.state = this.zeroState();
    this.input.fill(0);
  }

  private zeroState(): Tensor {
    return new this.model.ort.Tensor('float32', new Float32Array(STATE_SHAPE[0] * STATE_SHAPE[1] * STATE_SHAPE[2]), [...STATE_SHAPE]);
  }
}
