import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The uploaded PDFs, one file per content hash in `<data>/documents/`: the viewer serves them and
 * a retried ingest reads them again. Written to a temporary name first, so a crash never leaves
 * half a file under the final one.
 */
export class DocumentFiles {
  constructor(private readonly directory: string) {}

  pathOf(sha256: string): string {
    return join(this.directory, `${sha256}.pdf`);
  }

  async write(sha256: string, bytes: Uint8Array): Promise<void> {
    await mkdir(this.directory, { recursive: true });
    const partial = `${this.pathOf(sha256)}.part`;
    await writeFile(partial, bytes);
    await rename(partial, this.pathOf(sha256));
  }

  read(sha256: string): Promise<Buffer> {
    return readFile(this.pathOf(sha256));
  }

  async remove(sha256: string): Promise<void> {
    await rm(this.pathOf(sha256), { force: true });
  }
}
