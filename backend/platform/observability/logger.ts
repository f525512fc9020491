import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pino, { type Logger, type StreamEntry } from 'pino';
import { RecentLogBuffer } from './recent-log-buffer';

export type { Logger } from 'pino';

export interface LoggerOptions {
  dataDir: string;
  level: string;
  /** Server mode also logs to stdout, where a service manager collects it. */
  toStdout: boolean;
  /** Rotate the file at this size; keep this many old files. */
  rotateSize?: string;
  keepFiles?: number;
}

export interface BackendLogging {
  logger: Logger;
  recent: RecentLogBuffer;
  /** Writes every line logged so far to the file and closes it; call last (shutdown, failed start). */
  flush(): Promise<void>;
}

/** Structured JSON logs to `<dataDir>/logs/parley.N.log` (rotated by size), plus a ring buffer the Diagnostics panel reads. */
export async function createBackendLogging(options: LoggerOptions): Promise<BackendLogging> {
  const logDir = join(options.dataDir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const { default: createRollingStream } = await import('pino-roll');
  const fileStream = await createRollingStream({
    file: join(logDir, 'parley'),
    extension: '.log',
    size: options.rotateSize ?? '10m',
    limit: { count: options.keepFiles ?? 5 },
    mkdir: true,
  });
  const recent = new RecentLogBuffer(1000);
  // Once the file is closed, later lines still reach the buffer and stdout; writing to a closed SonicBoom would throw.
  let fileClosing: Promise<void> | undefined;
  const fileSink = {
    write: (line: string) => {
      if (!fileClosing) fileStream.write(line);
    },
  };
  const streams: StreamEntry[] = [
    { level: 'trace', stream: fileSink },
    { level: 'trace', stream: recent },
  ];
  if (options.toStdout) streams.push({ level: 'trace', stream: process.stdout });
  const logger = pino(
    { level: options.level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.epochTime },
    pino.multistream(streams),
  );
  return {
    logger,
    recent,
    // SonicBoom's flush() does not wait for writes (nor for the file to open): end the stream and wait for it to close.
    flush: () =>
      (fileClosing ??= new Promise<void>((resolve) => {
        fileStream.once('close', () => resolve());
        fileStream.once('error', () => resolve());
        fileStream.end();
      })),
  };
}
