import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { ParleyError } from '#protocol';

/**
 * smart-whisper crashes the whole process on a model whisper.cpp cannot load: after a failed
 * whisper_init it calls whisper_print_timings on the null context (SIGSEGV). A truncated download
 * or a damaged custom file would take the backend down. So a model is first loaded, and run once on
 * one second of audio, in a throwaway child process; only a file that passed is loaded in-process.
 * A pass is remembered for the file as it is (path, size, modification time) for the process's life.
 */

const passed = new Set<string>();
const STDERR_TAIL_CHARS = 4000;

/** Exit codes of CHECK_SCRIPT. */
const ADDON_FAILED = 3;
const MODEL_FAILED = 2;

const CHECK_SCRIPT = `
const [addonPath, modelPath, useGpu, audioCtx] = process.argv.slice(1);
let addon;
try {
  addon = require(addonPath);
} catch (error) {
  process.stderr.write('addon: ' + (error && error.message) + '\\n');
  process.exit(${ADDON_FAILED});
}
addon.WhisperModel.load(modelPath, useGpu === '1')
  .then((model) => new Promise((resolve, reject) => {
    const pcm = new Float32Array(16000);
    for (let index = 0; index < pcm.length; index++) pcm[index] = 0.1 * Math.sin(index / 5);
    const params = { strategy: 0, n_threads: 1, language: 'en', audio_ctx: Number(audioCtx), max_tokens: 1, single_segment: true, no_timestamps: true, temperature_inc: 0 };
    addon.transcribe(model.handle, pcm, params, (result) => (result instanceof Error ? reject(result) : resolve(model)), () => {});
  }))
  .then((model) => model.free())
  .then(
    () => process.exit(0),
    (error) => {
      process.stderr.write('model: ' + (error && error.message) + '\\n');
      process.exit(${MODEL_FAILED});
    },
  );
`;

export interface ModelCheckOptions {
  addonPath: string;
  modelPath: string;
  useGpu: boolean;
  /** The model's n_audio_ctx: the check encodes at most 64 positions of it, to stay cheap. */
  modelAudioContext: number;
  timeoutMs: number;
}

/**
 * Resolves when the model loads and transcribes in a child process. Rejects with ParleyError
 * 'invalid_params' when whisper.cpp refuses or crashes on the file, 'unavailable' when the child
 * cannot start or load the addon, 'timeout' when it takes longer than `timeoutMs`.
 */
export async function checkModelInChildProcess(options: ModelCheckOptions): Promise<void> {
  const info = await stat(options.modelPath);
  const key = `${options.modelPath}\0${info.size}\0${info.mtimeMs}\0${options.useGpu}`;
  if (passed.has(key)) return;
  await runCheck(options);
  passed.add(key);
}

function runCheck(options: ModelCheckOptions): Promise<void> {
  const audioContext = String(Math.min(64, options.modelAudioContext));
  const child = spawn(process.execPath, ['-e', CHECK_SCRIPT, options.addonPath, options.modelPath, options.useGpu ? '1' : '0', audioContext], {
    // ELECTRON_RUN_AS_NODE: in Electron's utility process execPath is Electron itself. NODE_ENV:
    // the addon keeps whisper.cpp quiet under 'production', and its lines say why a load failed.
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', NODE_ENV: 'development' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_TAIL_CHARS);
  });
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new ParleyError('timeout', `Checking the Whisper model ${options.modelPath} took longer than ${options.timeoutMs} ms`, {
          details: { budgetMs: options.timeoutMs, nativeErrors: nativeErrors(stderr) },
        }),
      );
    }, options.timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new ParleyError('unavailable', 'Could not start a process to check the Whisper model', { cause: error }));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else if (code === ADDON_FAILED) {
        reject(new ParleyError('unavailable', "smart-whisper's native addon does not load", { details: { nativeErrors: nativeErrors(stderr) } }));
      } else {
        reject(
          new ParleyError('invalid_params', `whisper.cpp cannot use the model ${options.modelPath}${signal ? ` (it crashed: ${signal})` : ''}`, {
            hint: 'The file may be truncated, damaged or from an incompatible whisper.cpp version; download the model again.',
            details: { nativeErrors: nativeErrors(stderr), exitCode: code, signal },
          }),
        );
      }
    });
  });
}

/** The lines whisper.cpp logged that explain a failure ("not all tensors loaded..."). */
function nativeErrors(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((line) => /error|fail|invalid|wrong|unknown|addon:|model:/i.test(line))
    .slice(-5)
    .map((line) => line.trim());
}
