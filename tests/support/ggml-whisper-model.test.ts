import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWhisperModelHeader } from '../../backend/speech/stt';
import { cachedGgmlWhisperModel, scriptedText, TEST_MODEL, TEST_SHAPE, writeGgmlWhisperModel } from './ggml-whisper-model';
import { elementCount, ggmlWhisperTensors } from './ggml-whisper-tensors';

describe('random-weight ggml whisper models', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'parley-ggml-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the header whisper.cpp reads, and every tensor it expects with its exact size', async () => {
    const path = join(dir, 'model.bin');
    await writeGgmlWhisperModel(path, TEST_MODEL);
    const header = await readWhisperModelHeader(path);
    expect(header).toMatchObject({ nVocab: 51865, nAudioCtx: 1500, nAudioState: 32, nTextCtx: 448, multilingual: true });

    const tensors = ggmlWhisperTensors(TEST_SHAPE);
    // 7 encoder and 4 decoder tensors outside the blocks, 15 per encoder block, 24 per decoder block;
    // whisper.cpp refuses a file that lacks any of them.
    expect(tensors).toHaveLength(11 + 15 * TEST_SHAPE.nAudioLayer + 24 * TEST_SHAPE.nTextLayer);
    const bytes = await readFile(path);
    const dataBytes = tensors.reduce((sum, tensor) => sum + elementCount(tensor) * (tensor.type === 1 ? 2 : 4), 0);
    const headerBytes = tensors.reduce((sum, tensor) => sum + 12 + 4 * tensor.ne.length + tensor.name.length, 0);
    const tensorsStart = bytes.length - dataBytes - headerBytes;
    // The first tensor record: n_dims, name length, type, ne..., name.
    expect(bytes.readInt32LE(tensorsStart)).toBe(2);
    expect(bytes.toString('utf8', tensorsStart + 20, tensorsStart + 20 + 28)).toBe('encoder.positional_embedding');
  });

  it('caches: the second request for the same model is the same file, not a new one', async () => {
    const first = await cachedGgmlWhisperModel(TEST_MODEL, dir);
    const { mtimeMs } = await stat(first);
    expect(await cachedGgmlWhisperModel(TEST_MODEL, dir)).toBe(first);
    expect((await stat(first)).mtimeMs).toBe(mtimeMs);
  });

  it('scripts the transcript', () => {
    expect(scriptedText(TEST_MODEL)).toBe(' alpha bravo charlie delta echo foxtrot');
  });
});
