/**
 * smart-whisper's native addon, loaded directly: the package's index also creates
 * ~/.smart-whisper/models on import (its model downloader), which Parley does not use.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch } from 'node:os';
import { dirname, join } from 'node:path';
import { ParleyError } from '#protocol';

/** One segment as the addon reports it ('detail' format: with the language). */
export interface SmartWhisperSegment {
  /** Milliseconds. */
  from: number;
  to: number;
  text: string;
  lang?: string;
}

export interface SmartWhisperModel {
  /** null once freed. */
  readonly handle: unknown;
  readonly freed: boolean;
  free(): Promise<void>;
}

/**
 * whisper_full_params by their whisper.cpp names. The addon reads every key that is present with
 * a fixed type, so a key must be left out rather than set to undefined.
 */
export interface SmartWhisperParams {
  strategy?: 0 | 1;
  n_threads?: number;
  language?: string;
  audio_ctx?: number;
  temperature?: number;
  temperature_inc?: number;
  beam_size?: number;
  max_tokens?: number;
  single_segment?: boolean;
  no_timestamps?: boolean;
  format?: 'simple' | 'detail';
}

export interface SmartWhisperAddon {
  WhisperModel: { load(modelPath: string, useGpu: boolean): Promise<SmartWhisperModel> };
  /**
   * Runs on a libuv threadpool thread with a whisper_state of its own. `finish` gets the segments,
   * or an Error when whisper_full fails (the addon's default OnError).
   */
  transcribe(
    handle: unknown,
    pcm: Float32Array,
    params: SmartWhisperParams,
    finish: (result: SmartWhisperSegment[] | Error) => void,
    progress: (segment: SmartWhisperSegment) => void,
  ): void;
}

/**
 * What whisper.cpp's own release build uses and node-gyp's does not: the SIMD its Makefile turns
 * on for a CPU that has it (x86-64-v3), and NDEBUG (off, ggml prints allocator traces to stderr
 * and checks asserts in its inner loops). gyp's make build takes CFLAGS/CXXFLAGS from the
 * environment.
 */
export const SMART_WHISPER_BUILD_FLAGS = '-DNDEBUG -mavx -mavx2 -mfma -mf16c';
export const SMART_WHISPER_REBUILD_COMMAND = `CFLAGS="${SMART_WHISPER_BUILD_FLAGS}" CXXFLAGS="${SMART_WHISPER_BUILD_FLAGS}" npm rebuild smart-whisper`;

let addon: SmartWhisperAddon | undefined;

export function smartWhisperAddonPath(): string {
  const require = createRequire(import.meta.url);
  let packageJson: string;
  try {
    packageJson = require.resolve('smart-whisper/package.json');
  } catch (error) {
    throw new ParleyError('unavailable', 'smart-whisper is not installed', { hint: 'Run npm install.', cause: error });
  }
  return join(dirname(packageJson), 'build', 'Release', 'smart-whisper.node');
}

/**
 * Throws ParleyError 'unavailable' when the addon was not built (npm blocked its install script,
 * or the compiler failed) or does not load.
 */
export function loadSmartWhisperAddon(): SmartWhisperAddon {
  if (addon) return addon;
  const path = smartWhisperAddonPath();
  if (!existsSync(path)) {
    throw new ParleyError('unavailable', 'smart-whisper was installed but its native addon was not built', {
      hint: `Allow its install script ("allowScripts" in package.json), install a C++ compiler, then run: ${SMART_WHISPER_REBUILD_COMMAND}`,
      details: { path },
    });
  }
  // The addon decides once, when it loads, whether whisper.cpp may print to stderr: only when
  // NODE_ENV is not 'production'. Its ~40 lines per model load and a few per utterance would land
  // in the backend's output, so it always loads as 'production'. require() is synchronous: no
  // other code can see the temporary value.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  // Metal builds (Apple silicon) look for their shader here; the package's index sets the same.
  process.env.GGML_METAL_PATH_RESOURCES ??= join(dirname(path), '..', '..', 'whisper.cpp', 'ggml', 'src');
  try {
    addon = createRequire(import.meta.url)(path) as SmartWhisperAddon;
    return addon;
  } catch (error) {
    throw new ParleyError('unavailable', 'smart-whisper\'s native addon does not load', {
      hint: `Rebuild it for this Node.js/Electron and CPU: ${SMART_WHISPER_REBUILD_COMMAND}`,
      details: { path },
      cause: error,
    });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
}

/**
 * Whether whisper.cpp in the addon was compiled with AVX2/FMA/F16C. node-gyp compiles with no
 * -m flags unless CFLAGS has them, and whisper.cpp's ggml then falls back to SSE2: ~6× slower.
 * Read from the compile command that gyp's make build records next to each object file;
 * 'unknown' where that record does not exist (Windows builds) or SIMD flags do not apply (ARM).
 */
export function smartWhisperSimd(): 'avx2' | 'baseline' | 'unknown' {
  if (arch() !== 'x64') return 'unknown';
  let command: string;
  try {
    const build = dirname(smartWhisperAddonPath());
    command = readFileSync(join(build, '.deps', 'Release', 'obj.target', 'smart-whisper', 'whisper.cpp', 'ggml', 'src', 'ggml.o.d'), 'utf8').split('\n', 1)[0]!;
  } catch {
    return 'unknown';
  }
  return /\s-mavx2\b|\s-march=(native|x86-64-v[34])\b/.test(command) ? 'avx2' : 'baseline';
}
