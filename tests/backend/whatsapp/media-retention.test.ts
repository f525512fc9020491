import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MediaFiles } from '../../../backend/whatsapp/store/media-files';
import { MediaRetention } from '../../../backend/whatsapp/store/media-retention';
import { createBackendLogging } from '../../../backend/platform/observability';

const DAY_MS = 86_400_000;
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function mediaWithAges(): Promise<{ media: MediaFiles; folder: string; old: string; recent: string; logger: Awaited<ReturnType<typeof createBackendLogging>>['logger'] }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'parley-media-'));
  dirs.push(dataDir);
  const media = new MediaFiles(dataDir);
  const old = (await media.write(new Uint8Array([1, 2, 3]), 'audio/ogg')).file;
  const recent = (await media.write(new Uint8Array([4, 5, 6]), 'audio/ogg; codecs=opus')).file;
  const folder = join(dataDir, 'whatsapp-media');
  // A write a crash interrupted, and a voice note from 100 days ago.
  await writeFile(join(folder, 'interrupted.ogg.part'), 'x');
  const past = new Date(Date.now() - 100 * DAY_MS);
  await utimes(join(folder, old), past, past);
  await utimes(join(folder, 'interrupted.ogg.part'), past, past);
  const { logger } = await createBackendLogging({ dataDir, level: 'silent', toStdout: false });
  return { media, folder, old, recent, logger };
}

describe('voice notes past their retention', () => {
  it('are deleted, with interrupted writes; newer ones stay', async () => {
    const { media, folder, recent, logger } = await mediaWithAges();
    await new MediaRetention({ media, retentionDays: async () => 90, logger }).pruneNow();
    expect(await readdir(folder)).toEqual([recent]);
    expect([...(await media.read(recent))]).toEqual([4, 5, 6]);
  });

  it('are kept for good with 0 days, and a missing folder is no error', async () => {
    const { media, folder, logger } = await mediaWithAges();
    await new MediaRetention({ media, retentionDays: async () => 0, logger }).pruneNow();
    expect(await readdir(folder)).toHaveLength(3);
    const empty = new MediaFiles(join(folder, 'nowhere'));
    expect(await empty.prune(Date.now())).toBe(0);
  });
});
