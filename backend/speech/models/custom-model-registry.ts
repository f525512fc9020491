import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';

const customModelRecordSchema = z.object({
  id: z.string(),
  kind: z.enum(['whisper', 'piper']),
  path: z.string(),
  label: z.string(),
  registeredAt: z.string(),
});
export type CustomModelRecord = z.infer<typeof customModelRecordSchema>;

const registryFileSchema = z.object({ version: z.literal(1), models: z.array(customModelRecordSchema) });

/** The user's own model files, by path, in a small JSON file so they survive a restart. */
export class CustomModelRegistry {
  /** Read-modify-write runs one at a time, so two registrations at once do not lose one. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly file: string) {}

  list(): Promise<CustomModelRecord[]> {
    return this.serialised(() => this.read());
  }

  /** Adds the record, or returns the one already registered under its id. */
  add(record: CustomModelRecord): Promise<CustomModelRecord> {
    return this.serialised(async () => {
      const records = await this.read();
      const existing = records.find((candidate) => candidate.id === record.id);
      if (existing) return existing;
      await this.write([...records, record]);
      return record;
    });
  }

  remove(id: string): Promise<boolean> {
    return this.serialised(async () => {
      const records = await this.read();
      const kept = records.filter((record) => record.id !== id);
      if (kept.length === records.length) return false;
      await this.write(kept);
      return true;
    });
  }

  private serialised<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async read(): Promise<CustomModelRecord[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const parsed = registryFileSchema.safeParse(safeJson(text));
    if (parsed.success) return parsed.data.models;
    // Unreadable: set it aside rather than overwrite it on the next registration, and start empty.
    await rename(this.file, `${this.file}.corrupt-${Date.now()}`);
    return [];
  }

  private async write(models: CustomModelRecord[]): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true });
    const temporary = `${this.file}.tmp`;
    await writeFile(temporary, `${JSON.stringify({ version: 1, models }, null, 2)}\n`);
    await rename(temporary, this.file);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
