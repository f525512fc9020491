import { randomBytes } from 'node:crypto';
import { readFile, readdir, stat, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DownloadOutcome, DownloadProgress } from '../../../../backend/speech/models';
import { ggmlBytes, sha256, startModelFixture, type ModelFixture } from './model-fixtures';

const SIZE = 512 * 1024;

describe('speech model downloads', () => {
  let fixture: ModelFixture;
  beforeEach(async () => {
    fixture = await startModelFixture();
  });
  afterEach(async () => fixture.close());

  const whisperDir = () => join(fixture.dataDir, 'models', 'whisper');

  it('reports throttled progress with monotonic bytes, the total and an ETA, then installs the verified file', async () => {
    const body = ggmlBytes(SIZE);
    const entry = fixture.whisperEntry('tiny', body);
    fixture.server.setDefaults({ chunkBytes: 16 * 1024, chunkDelayMs: 5 });
    const manager = fixture.manager({ progressIntervalMs: 25 });
    const reports: DownloadProgress[] = [];
    const reportedAt: number[] = [];
    const broadcast: DownloadProgress[] = [];
    const settled: DownloadOutcome[] = [];
    manager.onProgress((progress) => broadcast.push(progress));
    manager.onDownloadSettled((outcome) => settled.push(outcome));

    const model = await manager.download(entry.id, {
      onProgress: (progress) => {
        reports.push(progress);
        reportedAt.push(performance.now());
      },
    });

    expect(model).toMatchObject({ id: entry.id, source: 'catalogue', catalogueId: entry.id, kind: 'whisper', bytes: SIZE });
    expect(sha256(await readFile(model.modelPath))).toBe(sha256(body));
    expect(await readdir(whisperDir())).toEqual(['ggml-tiny.bin']);

    // 32 chunks 5 ms apart, reported at most every 25 ms (the final figures excepted): a handful, not one per chunk.
    expect(reports.length).toBeGreaterThanOrEqual(3);
    const gaps = reportedAt.slice(1, -1).map((at, index) => at - reportedAt[index]!);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(24);
    expect(broadcast).toEqual(reports);
    for (const [index, report] of reports.entries()) {
      expect(report.id).toBe(entry.id);
      expect(report.totalBytes).toBe(SIZE);
      if (index > 0) expect(report.receivedBytes).toBeGreaterThanOrEqual(reports[index - 1]!.receivedBytes);
    }
    expect(reports.at(-1)!.receivedBytes).toBe(SIZE);
    const midway = reports.filter((report) => report.receivedBytes > 0 && report.receivedBytes < SIZE && report.bytesPerSecond > 0);
    expect(midway.length).toBeGreaterThan(0);
    for (const report of midway) expect(report.etaSeconds).toBeGreaterThan(0);
    expect(settled).toEqual([{ id: entry.id, outcome: 'installed', model }]);
    expect(fixture.server.requests[0]!.acceptEncoding).toBe('identity');
  });

  it('resumes with a Range request after the connection is cut, and the result hashes right', async () => {
    const body = randomBytes(SIZE);
    const entry = fixture.whisperEntry('base', body);
    fixture.server.plan('/whisper/ggml-base.bin', { cutAfterBytes: 200_000 });

    const model = await fixture.manager().download(entry.id);

    const requests = fixture.server.requestsFor('/whisper/ggml-base.bin');
    expect(requests).toHaveLength(2);
    expect(requests[0]!.range).toBeUndefined();
    const resumedFrom = Number(/^bytes=(\d+)-$/.exec(requests[1]!.range ?? '')?.[1]);
    expect(resumedFrom).toBeGreaterThan(0);
    expect(resumedFrom).toBeLessThanOrEqual(200_000);
    expect(sha256(await readFile(model.modelPath))).toBe(sha256(body));
  });

  it('resumes across several cuts in one download', async () => {
    const body = randomBytes(SIZE);
    const entry = fixture.whisperEntry('small', body);
    fixture.server.plan('/whisper/ggml-small.bin', { cutAfterBytes: 100_000 }, { cutAfterBytes: 100_000 }, { cutAfterBytes: 100_000 });

    const model = await fixture.manager({ retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 } }).download(entry.id);

    // Each cut made progress, so two attempts per failure streak were enough for four requests.
    expect(fixture.server.requestsFor('/whisper/ggml-small.bin')).toHaveLength(4);
    expect(sha256(await readFile(model.modelPath))).toBe(sha256(body));
  });

  it('rejects a file whose SHA-256 does not match and removes the partial file', async () => {
    const entry = fixture.whisperEntry('tiny', randomBytes(SIZE), { sha256: '0'.repeat(64) });
    const manager = fixture.manager();
    const settled: DownloadOutcome[] = [];
    manager.onDownloadSettled((outcome) => settled.push(outcome));

    await expect(manager.download(entry.id)).rejects.toMatchObject({ code: 'unavailable', message: expect.stringMatching(/SHA-256/) });

    expect(await readdir(whisperDir())).toEqual([]);
    expect(await manager.installed()).toEqual([]);
    expect(settled).toMatchObject([{ id: entry.id, outcome: 'failed' }]);
  });

  it('resumes a part left by an earlier session, hashing it before continuing', async () => {
    const body = randomBytes(SIZE);
    const entry = fixture.whisperEntry('tiny', body);
    await mkdir(whisperDir(), { recursive: true });
    await writeFile(join(whisperDir(), 'ggml-tiny.bin.part'), body.subarray(0, 123_456));
    const reports: DownloadProgress[] = [];

    const model = await fixture.manager().download(entry.id, { onProgress: (progress) => reports.push(progress) });

    expect(fixture.server.requests.map((request) => request.range)).toEqual(['bytes=123456-']);
    expect(reports[0]!.receivedBytes).toBe(123_456);
    expect(sha256(await readFile(model.modelPath))).toBe(sha256(body));
  });

  it('hashes the part kept from an earlier session, so a corrupt part fails verification', async () => {
    const body = randomBytes(SIZE);
    const entry = fixture.whisperEntry('tiny', body);
    await mkdir(whisperDir(), { recursive: true });
    // Right length, wrong bytes: only re-hashing the existing part can notice.
    await writeFile(join(whisperDir(), 'ggml-tiny.bin.part'), randomBytes(100_000));

    await expect(fixture.manager().download(entry.id)).rejects.toMatchObject({ message: expect.stringMatching(/SHA-256/) });
    expect(fixture.server.requests[0]!.range).toBe('bytes=100000-');
    expect(await readdir(whisperDir())).toEqual([]);

    // The next attempt starts from scratch and succeeds.
    const model = await fixture.manager().download(entry.id);
    expect(sha256(await readFile(model.modelPath))).toBe(sha256(body));
  });

  it('starts over cleanly when the server ignores Range and answers 200', async () => {
    const body = randomBytes(SIZE);
    const entry = fixture.whisperEntry('base', body);
    await mkdir(whisperDir(), { recursive: true });
    // A part with garbage in it: if any of it survived, the hash would be wrong.
    await writeFile(join(whisperDir(), 'ggml-base.bin.part'), randomBytes(150_000));
    fixture.server.plan('/whisper/ggml-base.bin', { ignoreRange: true });

    const model = await fixture.manager().download(entry.id);

    const requests = fixture.server.requestsFor('/whisper/ggml-base.bin');
    expect(requests).toHaveLength(1);
    expect(requests[0]!.range).toBe('bytes=150000-');
    expect((await stat(model.modelPath)).size).toBe(SIZE);
    expect(sha256(await readFile(model.modelPath))).toBe(sha256(body));
  });

  it('starts over when a Content-Range does not continue the part', async () => {
    const body = randomBytes(SIZE);
    const entry = fixture.whisperEntry('base', body);
    await mkdir(whisperDir(), { recursive: true });
    await writeFile(join(whisperDir(), 'ggml-base.bin.part'), body.subarray(0, 100_000));
    fixture.server.plan('/whisper/ggml-base.bin', { contentRangeStart: 50_000 });

    const model = await fixture.manager().download(entry.id);

    const ranges = fixture.server.requestsFor('/whisper/ggml-base.bin').map((request) => request.range);
    expect(ranges).toEqual(['bytes=100000-', undefined]);
    expect(sha256(await readFile(model.modelPath))).toBe(sha256(body));
  });

  it('verifies by size when there is no checksum', async () => {
    const body = randomBytes(SIZE);
    const entry = fixture.whisperEntry('tiny', body, { sha256: null, bytes: SIZE + 1 });
    await expect(fixture.manager().download(entry.id)).rejects.toMatchObject({ message: expect.stringMatching(/catalogue expects/) });
    expect(await readdir(whisperDir())).toEqual([]);
  });

  it('retries a busy server with backoff, and gives up after the bounded number of attempts', async () => {
    const body = randomBytes(64 * 1024);
    const entry = fixture.whisperEntry('tiny', body);
    fixture.server.plan('/whisper/ggml-tiny.bin', { status: 503 }, { status: 502 });
    const model = await fixture.manager().download(entry.id);
    expect(fixture.server.requestsFor('/whisper/ggml-tiny.bin')).toHaveLength(3);
    expect(sha256(await readFile(model.modelPath))).toBe(sha256(body));

    const failing = fixture.whisperEntry('base', body);
    fixture.server.plan('/whisper/ggml-base.bin', ...Array.from({ length: 10 }, () => ({ status: 503 })));
    await expect(fixture.manager({ retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 } }).download(failing.id)).rejects.toMatchObject({
      code: 'unavailable',
      message: expect.stringMatching(/3 times in a row/),
    });
    expect(fixture.server.requestsFor('/whisper/ggml-base.bin')).toHaveLength(3);
  });

  it('does not retry a missing file', async () => {
    const entry = fixture.whisperEntry('tiny', randomBytes(1024));
    fixture.server.plan('/whisper/ggml-tiny.bin', { status: 404 });
    await expect(fixture.manager().download(entry.id)).rejects.toMatchObject({ code: 'not_found' });
    expect(fixture.server.requests).toHaveLength(1);
  });

  it('drops a stalled connection and resumes', async () => {
    const body = randomBytes(SIZE);
    const entry = fixture.whisperEntry('tiny', body);
    fixture.server.plan('/whisper/ggml-tiny.bin', { stallAfterBytes: 100_000 });
    const model = await fixture.manager({ stallTimeoutMs: 200 }).download(entry.id);
    const requests = fixture.server.requestsFor('/whisper/ggml-tiny.bin');
    expect(requests).toHaveLength(2);
    expect(requests[1]!.range).toMatch(/^bytes=\d+-$/);
    expect(sha256(await readFile(model.modelPath))).toBe(sha256(body));
  });

  it('shares one transfer between concurrent requests for the same model', async () => {
    const body = randomBytes(SIZE);
    const entry = fixture.whisperEntry('small', body);
    fixture.server.setDefaults({ chunkDelayMs: 2 });
    const manager = fixture.manager();
    const firstReports: DownloadProgress[] = [];
    const secondReports: DownloadProgress[] = [];

    const first = manager.download(entry.id, { onProgress: (progress) => firstReports.push(progress) });
    const second = manager.download(entry.id, { onProgress: (progress) => secondReports.push(progress) });
    expect(manager.activeDownloads().map((progress) => progress.id)).toEqual([entry.id]);
    const [a, b] = await Promise.all([first, second]);

    expect(a).toEqual(b);
    expect(fixture.server.requestsFor('/whisper/ggml-small.bin')).toHaveLength(1);
    expect(firstReports.at(-1)?.receivedBytes).toBe(SIZE);
    expect(secondReports.at(-1)?.receivedBytes).toBe(SIZE);
    expect(manager.activeDownloads()).toEqual([]);

    // Installed already: no transfer at all.
    await manager.download(entry.id);
    expect(fixture.server.requestsFor('/whisper/ggml-small.bin')).toHaveLength(1);
  });

  it('downloads both files of a Piper voice and reports their combined progress', async () => {
    const onnx = randomBytes(300_000);
    const config = Buffer.from(JSON.stringify({ audio: { sample_rate: 22050 } }));
    const entry = fixture.piperEntry('en_US-test-medium', onnx, config);
    const manager = fixture.manager();
    const reports: DownloadProgress[] = [];

    const model = await manager.download(entry.id, { onProgress: (progress) => reports.push(progress) });

    expect(model).toMatchObject({ kind: 'piper', bytes: onnx.length + config.length });
    expect(model.modelPath.endsWith('en_US-test-medium.onnx')).toBe(true);
    expect(model.configPath).toBe(`${model.modelPath}.json`);
    expect(sha256(await readFile(model.modelPath))).toBe(sha256(onnx));
    expect(await readFile(model.configPath!)).toEqual(config);
    expect(reports.at(-1)).toMatchObject({ receivedBytes: onnx.length + config.length, totalBytes: onnx.length + config.length });
    expect(await readdir(join(fixture.dataDir, 'models', 'piper'))).toEqual(['en_US-test-medium.onnx', 'en_US-test-medium.onnx.json']);
  });

  it('rejects an id that is not in the catalogue', async () => {
    await expect(fixture.manager().download('whisper:huge')).rejects.toMatchObject({ code: 'not_found' });
  });
});
