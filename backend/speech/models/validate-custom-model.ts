import { open, readFile, stat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { ParleyError } from '#protocol';
import type { InstalledFile, SpeechModelKind } from './model-types';

/**
 * whisper.cpp reads the first four bytes as a little-endian uint32 and requires GGML_FILE_MAGIC
 * (0x67676d6c, "ggml"), so on disk a model starts with the bytes 6c 6d 67 67 ("lmgg").
 */
export const GGML_FILE_MAGIC = 0x67676d6c;
const GGUF_MAGIC = Buffer.from('GGUF', 'ascii');

export interface ValidatedModelFiles {
  modelPath: string;
  configPath?: string;
  files: InstalledFile[];
}

/** Checks that a user-supplied file is a model the engine can load, before anything refers to it. */
export async function validateCustomModel(kind: SpeechModelKind, path: string): Promise<ValidatedModelFiles> {
  // The backend's working directory means nothing to the user who picked the file.
  if (!isAbsolute(path)) throw invalid(`"${path}" is not an absolute path`);
  return kind === 'whisper' ? validateGgmlModel(path) : validatePiperVoice(path);
}

async function validateGgmlModel(path: string): Promise<ValidatedModelFiles> {
  const bytes = await regularFileSize(path);
  const head = await readHead(path, 4);
  if (head.length < 4 || head.readUInt32LE(0) !== GGML_FILE_MAGIC) {
    const hint = head.equals(GGUF_MAGIC)
      ? 'This is a GGUF file; whisper.cpp needs a ggml model (ggml-*.bin).'
      : 'Choose a whisper.cpp model in ggml format (ggml-*.bin), such as those at huggingface.co/ggerganov/whisper.cpp.';
    throw invalid(`${path} is not a ggml whisper model (it does not start with the ggml magic)`, hint);
  }
  return { modelPath: path, files: [{ path, bytes }] };
}

async function validatePiperVoice(path: string): Promise<ValidatedModelFiles> {
  if (path.endsWith('.onnx.json')) throw invalid(`${path} is a voice's config`, 'Choose the .onnx file; its .onnx.json must sit beside it.');
  if (!path.endsWith('.onnx')) throw invalid(`${path} is not a Piper voice (.onnx)`);
  const bytes = await regularFileSize(path);
  if (bytes === 0) throw invalid(`${path} is empty`);
  const configPath = `${path}.json`;
  const configBytes = await regularFileSize(configPath, `A Piper voice needs its config beside it: ${configPath} is missing.`);
  let config: unknown;
  try {
    config = JSON.parse(await readFile(configPath, 'utf8'));
  } catch {
    throw invalid(`${configPath} is not valid JSON`);
  }
  // Piper reads the output sample rate from here; a config without it is not a Piper voice config.
  const sampleRate = (config as { audio?: { sample_rate?: unknown } } | null)?.audio?.sample_rate;
  if (typeof sampleRate !== 'number') throw invalid(`${configPath} is not a Piper voice config (no audio.sample_rate)`);
  return { modelPath: path, configPath, files: [{ path, bytes }, { path: configPath, bytes: configBytes }] };
}

async function regularFileSize(path: string, missingHint?: string): Promise<number> {
  try {
    const stats = await stat(path);
    if (!stats.isFile()) throw invalid(`${path} is not a file`);
    return stats.size;
  } catch (error) {
    if (error instanceof ParleyError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw invalid(`There is no file at ${path}`, missingHint);
    throw invalid(`${path} cannot be read (${code ?? (error as Error).message})`);
  }
}

async function readHead(path: string, length: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function invalid(message: string, hint?: string): ParleyError {
  return new ParleyError('invalid_params', message, hint ? { hint } : {});
}
