import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/** Where a message's media is kept: the file name in the media folder, and what it is. */
export interface StoredMedia {
  file: string;
  mimeType: string;
  bytes: number;
}

const EXTENSIONS: Record<string, string> = { 'audio/ogg': '.ogg', 'audio/webm': '.webm', 'audio/wav': '.wav', 'audio/mpeg': '.mp3', 'application/pdf': '.pdf' };

/**
 * Voice notes (received and sent) kept in `<data>/whatsapp-media`, so the inbox can play them and a
 * recorded reply survives a restart before it is sent. Written to a temporary name, synced, then
 * renamed: a file named in a message record is always whole.
 */
export class MediaFiles {
  private readonly dir: string;
  private ready: Promise<unknown> | undefined;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'whatsapp-media');
  }

  async write(bytes: Uint8Array, mimeType: string): Promise<StoredMedia> {
    this.ready ??= mkdir(this.dir, { recursive: true });
    await this.ready;
    const base = mimeType.split(';')[0]!.trim().toLowerCase();
    const file = `${randomUUID()}${EXTENSIONS[base] ?? '.bin'}`;
    const temporary = join(this.dir, `${file}.part`);
    const handle = await open(temporary, 'w');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, join(this.dir, file));
    return { file, mimeType, bytes: bytes.byteLength };
  }

  read(file: string): Promise<Buffer> {
    return readFile(this.pathOf(file));
  }

  /**
   * Deletes the files written before `before` (epoch ms), and pieces of writes a crash interrupted;
   * returns how many went. The message records keep their text and transcript; the inbox then says
   * the voice note is no longer kept.
   */
  async prune(before: number): Promise<number> {
    const names = await readdir(this.dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [] as string[];
      throw error;
    });
    let removed = 0;
    for (const name of names) {
      const path = join(this.dir, name);
      const modified = (await stat(path).catch(() => undefined))?.mtimeMs;
      if (modified === undefined || modified >= before) continue;
      await unlink(path).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
      removed += 1;
    }
    return removed;
  }

  pathOf(file: string): string {
    // Names come from our own records, but never let one climb out of the folder.
    if (!/^[0-9a-f-]{36}\.[a-z0-9]+$/.test(file)) throw new Error(`Not a media file name: ${file}`);
    return join(this.dir, file);
  }
}
