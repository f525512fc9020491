import { Writable } from 'node:stream';

export interface RecentLogEntry {
  time: number;
  level: string;
  msg: string;
  fields: Record<string, unknown>;
}

const LEVEL_NAMES: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

/** Keeps the last N log lines in memory so the Diagnostics panel needs no file access. */
export class RecentLogBuffer extends Writable {
  private readonly entries: RecentLogEntry[] = [];

  constructor(private readonly capacity: number) {
    super();
  }

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    try {
      const { time, level, msg, pid: _pid, ...fields } = JSON.parse(chunk.toString()) as Record<string, unknown>;
      this.entries.push({
        time: typeof time === 'number' ? time : Date.now(),
        level: LEVEL_NAMES[level as number] ?? String(level),
        msg: typeof msg === 'string' ? msg : '',
        fields,
      });
      if (this.entries.length > this.capacity) this.entries.shift();
    } catch {
      // A line that is not JSON is not ours to show.
    }
    callback();
  }

  latest(limit: number): RecentLogEntry[] {
    return this.entries.slice(-limit);
  }
}
