import { copyFile, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ParleyError } from '#protocol';
import { createLocalWhisperEngine, type LocalWhisperChoice } from '../../../../backend/speech/stt';
import type * as SmartWhisperAddonModule from '../../../../backend/speech/stt/smart-whisper-addon';
import { INFERENCE_TIMEOUT_MS, TEST_MODEL_TEXT, testModelPath, threeSecondsOfSpeech } from './stt-fixture';

/** Stands in for an install where npm blocked smart-whisper's build, or the compiler failed. */
const addonState = vi.hoisted(() => ({ broken: false }));
vi.mock('../../../../backend/speech/stt/smart-whisper-addon', async (importOriginal) => {
  const original = await importOriginal<typeof SmartWhisperAddonModule>();
  return {
    ...original,
    loadSmartWhisperAddon: () => {
      if (addonState.broken) throw new ParleyError('unavailable', 'smart-whisper was installed but its native addon was not built');
      return original.loadSmartWhisperAddon();
    },
  };
});

let modelPath: string;
let speech: Float32Array;
let dir: string;
let choice: LocalWhisperChoice | undefined;

beforeAll(async () => {
  [modelPath, speech] = await Promise.all([testModelPath(), threeSecondsOfSpeech()]);
  dir = await mkdtemp(join(tmpdir(), 'parley-local-whisper-'));
}, 60_000);

afterEach(async () => {
  addonState.broken = false;
  await choice?.engine.unload();
  choice = undefined;
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('createLocalWhisperEngine', () => {
  it('picks smart-whisper when its addon loads, and hands it over loaded', async () => {
    choice = await createLocalWhisperEngine({ modelPath, timeoutMs: INFERENCE_TIMEOUT_MS });
    expect(choice.binding).toBe('smart-whisper');
    expect(choice.engine.capabilities).toMatchObject({ audioContext: true, keepsModelLoaded: true });
    expect(choice.notes).toEqual([]);
    const transcript = await choice.engine.transcribe(speech, { language: 'en' });
    expect(transcript.text).toBe(TEST_MODEL_TEXT);
    expect(transcript.timings.loadMs).toBeUndefined();
  });

  it('falls back to @fugood/whisper.node when smart-whisper is unavailable, and says why', async () => {
    addonState.broken = true;
    choice = await createLocalWhisperEngine({ modelPath, timeoutMs: INFERENCE_TIMEOUT_MS });
    expect(choice.binding).toBe('@fugood/whisper.node');
    expect(choice.notes).toEqual([expect.stringContaining('native addon was not built')]);
    expect((await choice.engine.transcribe(speech, { language: 'en' })).text).toBe(TEST_MODEL_TEXT);
  });

  it('does not fall back for a model file the other binding cannot use either', async () => {
    await expect(createLocalWhisperEngine({ modelPath: join(dir, 'nowhere.bin') })).rejects.toMatchObject({ code: 'not_found' });

    const truncated = join(dir, 'truncated.bin');
    await copyFile(modelPath, truncated);
    const file = await open(truncated, 'r+');
    await file.truncate(3_000_000);
    await file.close();
    await expect(createLocalWhisperEngine({ modelPath: truncated, timeoutMs: INFERENCE_TIMEOUT_MS })).rejects.toMatchObject({
      code: 'invalid_params',
      message: expect.stringContaining('cannot use the model'),
    });
  });
});
