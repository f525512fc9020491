import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CatalogueEntry, DownloadProgress, SpeechModelManagerOptions } from '../../../../backend/speech/models';
import { SpeechModelManager } from '../../../../backend/speech/models';
import { RangeFileServer } from './range-file-server';

export const sha256 = (bytes: Buffer | Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Random bytes that start like a ggml model, so the same helper serves custom-model tests. */
export function ggmlBytes(size: number): Buffer {
  const bytes = randomBytes(size);
  bytes.writeUInt32LE(0x67676d6c, 0);
  return bytes;
}

export interface ModelFixture {
  server: RangeFileServer;
  dataDir: string;
  manager(options?: Partial<SpeechModelManagerOptions>): SpeechModelManager;
  /** A one-file whisper entry served by the local server, with its real size and hash unless overridden. */
  whisperEntry(name: string, body: Buffer, overrides?: { sha256?: string | null; bytes?: number | null }): CatalogueEntry;
  /** A two-file Piper voice served by the local server, sizes approximate and no checksum, like the real catalogue. */
  piperEntry(key: string, onnx: Buffer, config: Buffer): CatalogueEntry;
  close(): Promise<void>;
}

export async function startModelFixture(): Promise<ModelFixture> {
  const server = await RangeFileServer.start();
  const dataDir = await mkdtemp(join(tmpdir(), 'parley-models-'));
  const entries: CatalogueEntry[] = [];
  return {
    server,
    dataDir,
    manager: (options = {}) =>
      new SpeechModelManager({
        dataDir,
        catalogue: entries,
        retry: { baseDelayMs: 5, maxDelayMs: 20 },
        progressIntervalMs: 10,
        stallTimeoutMs: 5_000,
        ...options,
      }),
    whisperEntry(name, body, overrides = {}) {
      const fileName = `ggml-${name}.bin`;
      const url = server.serve(`/whisper/${fileName}`, body);
      const entry: CatalogueEntry = {
        id: `whisper:${name}`,
        kind: 'whisper',
        label: `Whisper ${name}`,
        language: 'multilingual',
        files: [
          {
            fileName,
            url,
            ...(overrides.bytes === null ? {} : { bytes: overrides.bytes ?? body.length }),
            approxBytes: body.length,
            ...(overrides.sha256 === null ? {} : { sha256: overrides.sha256 ?? sha256(body) }),
          },
        ],
        approxBytes: body.length,
      };
      entries.push(entry);
      return entry;
    },
    piperEntry(key, onnx, config) {
      const entry: CatalogueEntry = {
        id: `piper:${key}`,
        kind: 'piper',
        label: key,
        language: 'en_US',
        files: [
          { fileName: `${key}.onnx`, url: server.serve(`/piper/${key}.onnx`, onnx), approxBytes: 1_000 },
          { fileName: `${key}.onnx.json`, url: server.serve(`/piper/${key}.onnx.json`, config), approxBytes: 100 },
        ],
        approxBytes: 1_100,
      };
      entries.push(entry);
      return entry;
    },
    async close() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Resolves with the first progress report that satisfies `predicate`. */
export function progressReaching(manager: SpeechModelManager, predicate: (progress: DownloadProgress) => boolean): Promise<DownloadProgress> {
  return new Promise((resolve) => {
    const stop = manager.onProgress((progress) => {
      if (!predicate(progress)) return;
      stop();
      resolve(progress);
    });
  });
}
