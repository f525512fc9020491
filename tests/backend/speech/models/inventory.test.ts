import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ggmlBytes, startModelFixture, type ModelFixture } from './model-fixtures';

const PIPER_CONFIG = JSON.stringify({ audio: { sample_rate: 22050, quality: 'medium' }, espeak: { voice: 'en-us' } });

describe('installed speech models', () => {
  let fixture: ModelFixture;
  let userDir: string;
  beforeEach(async () => {
    fixture = await startModelFixture();
    userDir = join(fixture.dataDir, 'elsewhere');
    await mkdir(userDir, { recursive: true });
  });
  afterEach(async () => fixture.close());

  async function userFile(name: string, bytes: Buffer | string): Promise<string> {
    const path = join(userDir, name);
    await writeFile(path, bytes);
    return path;
  }

  describe('custom model files', () => {
    it('registers a ggml whisper model where it is, once per path', async () => {
      const path = await userFile('ggml-medium-finetuned.bin', ggmlBytes(4096));
      const manager = fixture.manager();

      const model = await manager.registerCustom('whisper', path);

      expect(model).toMatchObject({ kind: 'whisper', source: 'custom', label: 'ggml-medium-finetuned', modelPath: path, bytes: 4096, files: [{ path, bytes: 4096 }] });
      expect(model.id).toMatch(/^custom:whisper:[0-9a-f]{16}$/);
      expect(model.catalogueId).toBeUndefined();
      expect(await manager.registerCustom('whisper', `${userDir}/./ggml-medium-finetuned.bin`)).toEqual(model);
      expect(await manager.installed()).toEqual([model]);
    });

    it('refuses a whisper file without the ggml magic, a GGUF file, a missing file, a folder and a relative path', async () => {
      const manager = fixture.manager();
      const notGgml = await userFile('random.bin', randomBytes(4096));
      const gguf = await userFile('model.gguf', Buffer.concat([Buffer.from('GGUF'), randomBytes(64)]));
      // "ggml" in reading order is the big-endian spelling; whisper.cpp wants the little-endian one.
      const wrongEndian = await userFile('big-endian.bin', Buffer.concat([Buffer.from('ggml'), randomBytes(64)]));

      await expect(manager.registerCustom('whisper', notGgml)).rejects.toMatchObject({ code: 'invalid_params', message: expect.stringMatching(/ggml magic/) });
      await expect(manager.registerCustom('whisper', gguf)).rejects.toMatchObject({ code: 'invalid_params', hint: expect.stringMatching(/GGUF/) });
      await expect(manager.registerCustom('whisper', wrongEndian)).rejects.toMatchObject({ code: 'invalid_params' });
      await expect(manager.registerCustom('whisper', join(userDir, 'absent.bin'))).rejects.toMatchObject({ code: 'invalid_params', message: expect.stringMatching(/no file/) });
      await expect(manager.registerCustom('whisper', userDir)).rejects.toMatchObject({ code: 'invalid_params', message: expect.stringMatching(/not a file/) });
      await expect(manager.registerCustom('whisper', 'models/ggml-base.bin')).rejects.toMatchObject({ code: 'invalid_params', message: expect.stringMatching(/absolute/) });
      await expect(manager.registerCustom('klingon' as 'whisper', notGgml)).rejects.toMatchObject({ code: 'invalid_params' });
      expect(await manager.installed()).toEqual([]);
    });

    it('registers a Piper voice with its config beside it', async () => {
      const path = await userFile('my-voice.onnx', randomBytes(2048));
      await userFile('my-voice.onnx.json', PIPER_CONFIG);

      const model = await fixture.manager().registerCustom('piper', path, { label: 'My voice' });

      expect(model).toMatchObject({ kind: 'piper', source: 'custom', label: 'My voice', modelPath: path, configPath: `${path}.json`, bytes: 2048 + PIPER_CONFIG.length });
    });

    it('refuses a Piper voice without a usable config', async () => {
      const manager = fixture.manager();
      const lonely = await userFile('lonely.onnx', randomBytes(100));
      const broken = await userFile('broken.onnx', randomBytes(100));
      await userFile('broken.onnx.json', '{ not json');
      const foreign = await userFile('foreign.onnx', randomBytes(100));
      await userFile('foreign.onnx.json', JSON.stringify({ something: 'else' }));
      const config = await userFile('voice.onnx.json', PIPER_CONFIG);

      await expect(manager.registerCustom('piper', lonely)).rejects.toMatchObject({ code: 'invalid_params', hint: expect.stringMatching(/lonely\.onnx\.json is missing/) });
      await expect(manager.registerCustom('piper', broken)).rejects.toMatchObject({ message: expect.stringMatching(/not valid JSON/) });
      await expect(manager.registerCustom('piper', foreign)).rejects.toMatchObject({ message: expect.stringMatching(/sample_rate/) });
      await expect(manager.registerCustom('piper', config)).rejects.toMatchObject({ hint: expect.stringMatching(/Choose the \.onnx/) });
      await expect(manager.registerCustom('piper', await userFile('voice.bin', randomBytes(10)))).rejects.toMatchObject({ code: 'invalid_params' });
    });

    it('shows a registered file that has gone as missing, and forgets it on delete without touching the file', async () => {
      const kept = await userFile('ggml-kept.bin', ggmlBytes(512));
      const gone = await userFile('ggml-gone.bin', ggmlBytes(512));
      const manager = fixture.manager();
      const keptModel = await manager.registerCustom('whisper', kept);
      const goneModel = await manager.registerCustom('whisper', gone);
      await rm(gone);

      expect((await manager.installed()).map((model) => [model.id, model.missing ?? false])).toEqual([
        [keptModel.id, false],
        [goneModel.id, true],
      ]);

      await manager.delete(keptModel.id);
      expect((await manager.installed()).map((model) => model.id)).toEqual([goneModel.id]);
      expect(await readdir(userDir)).toEqual(['ggml-kept.bin']);
      await expect(manager.delete(keptModel.id)).rejects.toMatchObject({ code: 'not_found' });
    });
  });

  it('lists the same models after a restart: catalogue downloads, hand-placed files and registrations', async () => {
    const whisper = fixture.whisperEntry('tiny', ggmlBytes(100_000));
    const voice = fixture.piperEntry('en_US-test-medium', randomBytes(50_000), Buffer.from(PIPER_CONFIG));
    const notDownloaded = fixture.whisperEntry('base', ggmlBytes(1000));
    const first = fixture.manager();
    await first.download(whisper.id);
    await first.download(voice.id);
    const custom = await first.registerCustom('whisper', await userFile('ggml-custom.bin', ggmlBytes(3000)));
    const whisperDir = join(fixture.dataDir, 'models', 'whisper');
    const piperDir = join(fixture.dataDir, 'models', 'piper');
    // Put there by hand, an unfinished download, and a voice without its config.
    await writeFile(join(whisperDir, 'ggml-medium.bin'), ggmlBytes(2000));
    await writeFile(join(whisperDir, 'ggml-base.bin.part'), ggmlBytes(500));
    await writeFile(join(piperDir, 'half-voice.onnx'), randomBytes(10));

    const restarted = fixture.manager();
    const installed = await restarted.installed();

    expect(installed.map((model) => ({ id: model.id, source: model.source, catalogueId: model.catalogueId, bytes: model.bytes }))).toEqual([
      { id: whisper.id, source: 'catalogue', catalogueId: whisper.id, bytes: 100_000 },
      { id: voice.id, source: 'catalogue', catalogueId: voice.id, bytes: 50_000 + PIPER_CONFIG.length },
      { id: 'file:whisper:ggml-medium.bin', source: 'unlisted', catalogueId: undefined, bytes: 2000 },
      { id: custom.id, source: 'custom', catalogueId: undefined, bytes: 3000 },
    ]);
    expect(installed[1]).toMatchObject({ modelPath: join(piperDir, 'en_US-test-medium.onnx'), configPath: join(piperDir, 'en_US-test-medium.onnx.json') });
    expect(await restarted.catalogueStatus()).toEqual([
      { id: whisper.id, state: 'installed', partialBytes: 0 },
      { id: voice.id, state: 'installed', partialBytes: 0 },
      { id: notDownloaded.id, state: 'partial', partialBytes: 500 },
    ]);

    await restarted.delete('file:whisper:ggml-medium.bin');
    expect(await readdir(whisperDir)).toEqual(['ggml-base.bin.part', 'ggml-tiny.bin']);
    await expect(restarted.delete('file:whisper:../custom-models.json')).rejects.toMatchObject({ code: 'not_found' });
    await expect(restarted.delete('file:whisper:ggml-medium.bin')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('sets an unreadable registry aside instead of failing or overwriting it', async () => {
    await mkdir(join(fixture.dataDir, 'models'), { recursive: true });
    await writeFile(join(fixture.dataDir, 'models', 'custom-models.json'), '{ broken');
    const manager = fixture.manager();

    expect(await manager.installed()).toEqual([]);
    await manager.registerCustom('whisper', await userFile('ggml-x.bin', ggmlBytes(100)));

    const names = await readdir(join(fixture.dataDir, 'models'));
    expect(names.filter((name) => name.startsWith('custom-models.json.corrupt-'))).toHaveLength(1);
    expect(await fixture.manager().installed()).toHaveLength(1);
  });
});
