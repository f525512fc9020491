import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { LogEntry } from '#protocol';
import { fromPinoLine } from './log-filter';

/** pino-roll's files: parley.1.log, parley.2.log, ... (the highest number is the newest). */
const LOG_FILE = /^parley\.(\d+)\.log$/;
/** A search reads at most this much of the files (5 files of 10 MB by default). */
const MAX_SCANNED_BYTES = 64 * 1024 * 1024;

export interface LogFile {
  path: string;
  name: string;
  size: number;
  /** The rotation number: higher is newer. */
  number: number;
}

/** The rotated log files, oldest first. */
export async function listLogFiles(dataDir: string): Promise<LogFile[]> {
  const directory = join(dataDir, 'logs');
  let names: string[];
  try {
    names = await readdir(directory);
  } catch {
    return [];
  }
  const files = await Promise.all(
    names.flatMap((name) => {
      const match = LOG_FILE.exec(name);
      if (!match) return [];
      const path = join(directory, name);
      return [stat(path).then((info) => ({ path, name, size: info.size, number: Number(match[1]) }))];
    }),
  );
  return files.sort((a, b) => a.number - b.number);
}

/**
 * The newest `limit` lines of the log files that match, oldest first, and the components seen:
 * each file is streamed line by line (never held whole), newest files last so the kept window
 * ends with the latest lines.
 */
export async function searchLogFiles(dataDir: string, matches: (entry: LogEntry) => boolean, limit: number): Promise<{ entries: LogEntry[]; components: Set<string>; scanned: number }> {
  const files = await listLogFiles(dataDir);
  const kept: LogEntry[] = [];
  const components = new Set<string>();
  let scanned = 0;
  let budget = MAX_SCANNED_BYTES;
  // Newest files first for the budget; their lines are then read in order.
  const chosen: LogFile[] = [];
  for (const file of [...files].reverse()) {
    if (budget <= 0) break;
    chosen.unshift(file);
    budget -= file.size;
  }
  for (const file of chosen) {
    const lines = createInterface({ input: createReadStream(file.path, { encoding: 'utf8' }), crlfDelay: Infinity });
    for await (const line of lines) {
      if (!line.startsWith('{')) continue;
      scanned += 1;
      let entry: LogEntry;
      try {
        entry = fromPinoLine(JSON.parse(line) as Record<string, unknown>);
      } catch {
        continue;
      }
      components.add(entry.component);
      if (!matches(entry)) continue;
      kept.push(entry);
      // Trimmed in batches: shifting one line per match would be quadratic over a big file.
      if (kept.length >= 2 * limit) kept.splice(0, kept.length - limit);
    }
  }
  return { entries: kept.slice(-limit), components, scanned };
}
