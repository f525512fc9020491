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
  const streams: StreamEntry[] = [
    { level: 'trace', stream: fileStream },
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
    flush: () =>
      new Promise<void>((resolve) => {
        logger.flush(() => fileStream.flush(() => resolve()));
      }),
  };
}
