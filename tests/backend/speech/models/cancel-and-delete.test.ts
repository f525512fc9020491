import { randomBytes } from 'node:crypto';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DownloadOutcome } from '../../../../backend/speech/models';
import { progressReaching, sha256, startModelFixture, type ModelFixture } from './model-fixtures';

const SIZE = 512 * 1024;
const PATH = '/whisper/ggml-base.bin';

describe('cancelling and deleting speech models', () => {
  let fixture: ModelFixture;
  beforeEach(async () => {
    fixture = await startModelFixture();
  });
  afterEach(async () => fixture.close());

  const partPath = () => join(fixture.dataDir, 'models', 'whisper', 'ggml-base.bin.part');
  const whisperFiles = () => readdir(join(fixture.dataDir, 'models', 'whisper'));

  it('keeps the part when the caller aborts, and the next download resumes it', async () => {
    const body = randomBytes(SIZE);
    const entry = fixture.whisperEntry('base', body);
    fixture.server.plan(PATH, { stallAfterBytes: 200_000 });
    const manager = fixture.manager();
    const outcomes: DownloadOutcome['outcome'][] = [];
    manager.onDownloadSettled((outcome) => outcomes.push(outcome.outcome));
    const controller = new AbortController();

    const download = manager.download(entry.id, { signal: controller.signal });
    await progressReaching(manager, (progress) => progress.receivedBytes === 200_000);
    controller.abort();

    await expect(download).rejects.toMatchObject({ code: 'cancelled' });
    expect((await stat(partPath())).size).toBe(200_000);
    expect(await manager.catalogueStatus()).toEqual([{ id: entry.id, state: 'partial', partialBytes: 200_000 }]);

    const model = await manager.download(entry.id);
    expect(fixture.server.requestsFor(PATH).map((request) => request.range)).toEqual([undefined, 'bytes=200000-']);
    expect(sha256(await readFile(model.modelPath))).toBe(sha256(body));
    expect(outcomes).toEqual(['cancelled', 'installed']);
    expect(await manager.catalogueStatus()).toEqual([{ id: entry.id, state: 'installed', partialBytes: 0 }]);
  });

  it('cancels by id, keeping the part unless asked to discard it', async () => {
    const entry = fixture.whisperEntry('base', randomBytes(SIZE));
    fixture.server.plan(PATH, { stallAfterBytes: 100_000 }, { stallAfterBytes: 100_000 });
    const manager = fixture.manager();

    // Caught at once: the rejection arrives while the test is still awaiting cancel().
    const first = manager.download(entry.id).catch((error: unknown) => error);
    await progressReaching(manager, (progress) => progress.receivedBytes === 100_000);
    expect((await manager.catalogueStatus())[0]!.state).toBe('downloading');
    expect(await manager.cancel(entry.id)).toBe(true);
    expect(await first).toMatchObject({ code: 'cancelled' });
    expect((await stat(partPath())).size).toBe(100_000);

    const second = manager.download(entry.id).catch((error: unknown) => error);
    await progressReaching(manager, (progress) => progress.receivedBytes === 200_000);
    expect(await manager.cancel(entry.id, { discardPartial: true })).toBe(true);
    expect(await second).toMatchObject({ code: 'cancelled' });
    expect(await whisperFiles()).toEqual([]);
    expect(await manager.catalogueStatus()).toEqual([{ id: entry.id, state: 'absent', partialBytes: 0 }]);
    expect(await manager.cancel(entry.id)).toBe(false);
  });

  it('goes on for the callers still waiting when one of them gives up, and stops when the last one does', async () => {
    const body = randomBytes(SIZE);
    const entry = fixture.whisperEntry('base', body);
    fixture.server.setDefaults({ chunkDelayMs: 3 });
    const manager = fixture.manager();
    const leaving = new AbortController();

    const left = manager.download(entry.id, { signal: leaving.signal });
    const staying = manager.download(entry.id);
    await progressReaching(manager, (progress) => progress.receivedBytes > 0);
    leaving.abort();
    await expect(left).rejects.toMatchObject({ code: 'cancelled' });
    const model = await staying;
    expect(sha256(await readFile(model.modelPath))).toBe(sha256(body));
    expect(fixture.server.requestsFor(PATH)).toHaveLength(1);

    const other = fixture.whisperEntry('small', randomBytes(SIZE));
    fixture.server.plan('/whisper/ggml-small.bin', { stallAfterBytes: 50_000 });
    const first = new AbortController();
    const second = new AbortController();
    const a = manager.download(other.id, { signal: first.signal });
    const b = manager.download(other.id, { signal: second.signal });
    await progressReaching(manager, (progress) => progress.id === other.id && progress.receivedBytes === 50_000);
    first.abort();
    expect(manager.activeDownloads().map((progress) => progress.id)).toEqual([other.id]);
    second.abort();
    await expect(a).rejects.toMatchObject({ code: 'cancelled' });
    await expect(b).rejects.toMatchObject({ code: 'cancelled' });
    expect(manager.activeDownloads()).toEqual([]);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const entry = fixture.whisperEntry('base', randomBytes(1024));
    await expect(fixture.manager().download(entry.id, { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'cancelled' });
    expect(fixture.server.requests).toHaveLength(0);
  });

  it('deletes an installed model', async () => {
    const entry = fixture.whisperEntry('base', randomBytes(SIZE));
    const manager = fixture.manager();
    await manager.download(entry.id);
    expect((await manager.installed()).map((model) => model.id)).toEqual([entry.id]);

    await manager.delete(entry.id);

    expect(await manager.installed()).toEqual([]);
    expect(await whisperFiles()).toEqual([]);
    // Deleting what is not there is not an error; an unknown id is.
    await manager.delete(entry.id);
    await expect(manager.delete('whisper:nothing')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('deleting a model that is downloading stops the download and leaves nothing behind', async () => {
    const entry = fixture.whisperEntry('base', randomBytes(SIZE));
    fixture.server.plan(PATH, { stallAfterBytes: 100_000 });
    const manager = fixture.manager();

    const download = manager.download(entry.id).catch((error: unknown) => error);
    await progressReaching(manager, (progress) => progress.receivedBytes === 100_000);
    await manager.delete(entry.id);

    expect(await download).toMatchObject({ code: 'cancelled' });
    expect(await whisperFiles()).toEqual([]);
  });
});
