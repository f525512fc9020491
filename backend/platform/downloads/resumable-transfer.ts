import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rm, stat, type FileHandle } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { ParleyError } from '#protocol';
import { parseContentRange } from './content-range';
import { isTransientStatus, parseRetryAfter, retryDelayMs, type RetryPolicy } from './retry-policy';

export interface TransferOptions {
  url: string;
  /** Where the bytes accumulate (`<file>.part`); the caller renames it once this resolves. */
  partPath: string;
  expectedBytes?: number;
  expectedSha256?: string;
  fetch: typeof fetch;
  signal: AbortSignal;
  retry: RetryPolicy;
  /** An attempt that receives nothing for this long is dropped and resumed, instead of hanging for ever. */
  stallTimeoutMs: number;
  onProgress(receivedBytes: number, totalBytes: number | undefined): void;
}

export interface TransferResult {
  bytes: number;
  sha256: string;
}

/** Worth another attempt: the network dropped, the server was busy, the connection went quiet. */
class TransientTransferError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The part on disk cannot be continued (the server's range does not fit it): start again from byte 0. */
class StartOver extends Error {}

/** The bytes in the part file so far and their running hash; the two always describe the same bytes. */
interface PartState {
  hash: Hash;
  bytes: number;
}

const MAX_START_OVERS = 2;

export function downloadCancelled(cause?: unknown): ParleyError {
  if (isCancelled(cause)) return cause;
  return new ParleyError('cancelled', 'The download was cancelled', { hint: 'The part already downloaded is kept; downloading again resumes it.', cause });
}

export function isCancelled(error: unknown): error is ParleyError {
  return error instanceof ParleyError && error.code === 'cancelled';
}

/**
 * Downloads `url` into `partPath`, resuming whatever is already there, and resolves once the part
 * holds the whole file and matches the expected size and SHA-256. A checksum or size mismatch
 * removes the part; a cancel or a failure that outlasts the retries keeps it for a later resume.
 */
export async function transferToPart(options: TransferOptions): Promise<TransferResult> {
  try {
    return await transferWithRetries(options);
  } catch (error) {
    // Whatever was interrupted by the abort (a read of the part, a rename), the caller sees a cancel.
    if (options.signal.aborted) throw downloadCancelled(error);
    throw error;
  }
}

async function transferWithRetries(options: TransferOptions): Promise<TransferResult> {
  let part: PartState | undefined;
  let failuresInARow = 0;
  let startOvers = 0;
  for (;;) {
    if (options.signal.aborted) throw downloadCancelled(options.signal.reason);
    part = await alignWithDisk(part, options);
    if (options.expectedBytes !== undefined && part.bytes === options.expectedBytes) return verify(part, options);
    const bytesBefore = part.bytes;
    try {
      const outcome = await requestOnce(part, options);
      if (outcome === 'complete') return await verify(part, options);
      failuresInARow = 0; // The server sent a shorter range than asked: ask for the rest at once.
    } catch (error) {
      if (options.signal.aborted) throw downloadCancelled(error);
      if (error instanceof StartOver) {
        startOvers += 1;
        if (startOvers > MAX_START_OVERS) {
          throw new ParleyError('unavailable', `The download server's answers do not fit together: ${error.message}`, { cause: error });
        }
        part = await discardPart(options.partPath);
        continue;
      }
      if (!(error instanceof TransientTransferError)) throw error;
      failuresInARow = part.bytes > bytesBefore ? 1 : failuresInARow + 1;
      if (failuresInARow >= options.retry.maxAttempts) {
        throw new ParleyError('unavailable', `The download failed ${failuresInARow} times in a row: ${error.message}`, {
          hint: 'Check the connection and try again; the part already downloaded is kept and will be resumed.',
          cause: error,
        });
      }
      try {
        await delay(retryDelayMs(options.retry, failuresInARow, error.retryAfterMs), undefined, { signal: options.signal });
      } catch (abort) {
        throw downloadCancelled(abort);
      }
    }
  }
}

/**
 * Makes the in-memory hash describe exactly the bytes on disk. At the start, and after any attempt
 * that may have written a chunk without hashing it, the part is read again: the final checksum
 * must cover the bytes from an earlier session too, not only those received now.
 */
async function alignWithDisk(part: PartState | undefined, options: TransferOptions): Promise<PartState> {
  const size = await fileSize(options.partPath);
  if (part && part.bytes === size) return part;
  if (options.expectedBytes !== undefined && size > options.expectedBytes) return discardPart(options.partPath);
  const hash = createHash('sha256');
  if (size > 0) {
    for await (const chunk of createReadStream(options.partPath, { start: 0, end: size - 1, signal: options.signal })) hash.update(chunk as Buffer);
  }
  return { hash, bytes: size };
}

/** One HTTP request. Resolves 'complete' when the part holds the whole file, 'more' when the server sent less than asked. */
async function requestOnce(part: PartState, options: TransferOptions): Promise<'complete' | 'more'> {
  const attempt = new AbortController();
  let stalled = false;
  let stallTimer: NodeJS.Timeout | undefined;
  const armStallTimer = () => {
    clearTimeout(stallTimer);
    stallTimer = setTimeout(() => {
      stalled = true;
      attempt.abort();
    }, options.stallTimeoutMs);
  };
  armStallTimer();
  try {
    const offset = part.bytes;
    // identity: a compressed answer would make ranges and lengths count bytes of something else.
    const headers: Record<string, string> = { 'accept-encoding': 'identity' };
    if (offset > 0) headers.range = `bytes=${offset}-`;
    const response = await options.fetch(options.url, { headers, signal: AbortSignal.any([options.signal, attempt.signal]), redirect: 'follow' });
    const plan = await planResponse(response, offset, options);
    if (plan === 'complete') return 'complete';
    if (plan.fromStart) {
      // The server ignored the range (200): the part starts over with the whole file it is sending.
      part.hash = createHash('sha256');
      part.bytes = 0;
    }
    options.onProgress(part.bytes, plan.total);
    const handle = await open(options.partPath, plan.fromStart ? 'w' : 'a');
    try {
      for await (const chunk of response.body!) {
        armStallTimer();
        if (plan.total !== undefined && part.bytes + chunk.byteLength > plan.total) {
          throw new StartOver(`the server sent more than the ${plan.total} bytes it announced`);
        }
        await writeAll(handle, chunk);
        part.hash.update(chunk);
        part.bytes += chunk.byteLength;
        options.onProgress(part.bytes, plan.total);
      }
    } finally {
      await handle.close();
    }
    if (plan.rangeEnd !== undefined && plan.total !== undefined && plan.rangeEnd < plan.total - 1 && part.bytes === plan.rangeEnd + 1) return 'more';
    if (plan.total !== undefined && part.bytes < plan.total) {
      throw new TransientTransferError(`the connection closed after ${part.bytes} of ${plan.total} bytes`);
    }
    return 'complete';
  } catch (error) {
    throw classify(error, stalled, options);
  } finally {
    clearTimeout(stallTimer);
  }
}

interface ResponsePlan {
  /** true when the body is the whole file (200), false when it continues the part (206). */
  fromStart: boolean;
  total: number | undefined;
  rangeEnd?: number;
}

/** Decides what a response means for the part, or throws what to do instead. The body is left unread only when it will be used. */
async function planResponse(response: Response, offset: number, options: TransferOptions): Promise<ResponsePlan | 'complete'> {
  const { status } = response;
  const discardBody = () => response.body?.cancel().catch(() => undefined);
  if (status === 416) {
    await discardBody();
    const range = parseContentRange(response.headers.get('content-range'));
    // Asked for the bytes after the end: the part already holds the whole file (a cancel right at the end).
    if (offset > 0 && range && 'unsatisfiedTotal' in range && range.unsatisfiedTotal === offset) return 'complete';
    throw new StartOver(`the server cannot serve bytes from ${offset} (HTTP 416)`);
  }
  if (isTransientStatus(status)) {
    await discardBody();
    throw new TransientTransferError(`the server answered HTTP ${status}`, parseRetryAfter(response.headers.get('retry-after')));
  }
  if (status === 404 || status === 410) {
    await discardBody();
    throw new ParleyError('not_found', `There is no model file at ${options.url} (HTTP ${status})`);
  }
  if ((status !== 200 && status !== 206) || !response.body) {
    await discardBody();
    throw new ParleyError('unavailable', `The download server answered HTTP ${status}`, { details: { url: options.url } });
  }

  let plan: ResponsePlan;
  const contentLength = parseLength(response.headers.get('content-length'));
  if (status === 206) {
    const header = response.headers.get('content-range');
    const range = parseContentRange(header);
    if (!range || 'unsatisfiedTotal' in range || range.start !== offset) {
      await discardBody();
      throw new StartOver(`Content-Range "${header ?? ''}" does not continue from byte ${offset}`);
    }
    if (contentLength !== undefined && contentLength !== range.end - range.start + 1) {
      await discardBody();
      throw new StartOver(`Content-Range "${header}" and Content-Length ${contentLength} disagree`);
    }
    plan = { fromStart: false, total: range.total, rangeEnd: range.end };
  } else {
    plan = { fromStart: true, total: contentLength };
  }

  if (options.expectedBytes !== undefined && plan.total !== undefined && plan.total !== options.expectedBytes) {
    await discardBody();
    await rm(options.partPath, { force: true });
    throw new ParleyError('unavailable', `The server offers ${plan.total} bytes where the catalogue expects ${options.expectedBytes}`, {
      hint: 'The model file changed upstream or the address points elsewhere; nothing was installed.',
      details: { url: options.url },
    });
  }
  return plan;
}

async function verify(part: PartState, options: TransferOptions): Promise<TransferResult> {
  if (options.expectedBytes !== undefined && part.bytes !== options.expectedBytes) {
    await rm(options.partPath, { force: true });
    throw new ParleyError('unavailable', `The download has ${part.bytes} bytes where ${options.expectedBytes} were expected`);
  }
  const sha256 = part.hash.digest('hex');
  if (options.expectedSha256 !== undefined && sha256 !== options.expectedSha256.toLowerCase()) {
    await rm(options.partPath, { force: true });
    throw new ParleyError('unavailable', 'The downloaded file is corrupt: its SHA-256 does not match the published one', {
      hint: 'The partial file was removed; downloading again starts from the beginning.',
      details: { url: options.url, expectedSha256: options.expectedSha256, actualSha256: sha256 },
    });
  }
  // On disk before the rename, so a crash cannot leave a verified name on unwritten bytes.
  const handle = await open(options.partPath, 'r+');
  try {
    await handle.datasync();
  } finally {
    await handle.close();
  }
  return { bytes: part.bytes, sha256 };
}

function classify(error: unknown, stalled: boolean, options: TransferOptions): unknown {
  if (options.signal.aborted) return downloadCancelled(error);
  if (error instanceof ParleyError || error instanceof StartOver || error instanceof TransientTransferError) return error;
  if (stalled) return new TransientTransferError(`no data for ${Math.round(options.stallTimeoutMs / 1000)} s`, undefined, { cause: error });
  if (isNetworkError(error)) return new TransientTransferError(describeNetworkError(error), undefined, { cause: error });
  return error;
}

/** fetch reports every network failure (refused, reset, cut mid-body, DNS) as a TypeError; file-system errors are not. */
function isNetworkError(error: unknown): boolean {
  if (error instanceof TypeError) return true;
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && (code.startsWith('UND_ERR') || ['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH'].includes(code));
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { message?: string; code?: string } }).cause;
  const detail = cause?.code ?? cause?.message;
  return `${(error as Error).message}${detail ? ` (${detail})` : ''}`;
}

async function discardPart(partPath: string): Promise<PartState> {
  await rm(partPath, { force: true });
  return { hash: createHash('sha256'), bytes: 0 };
}

async function writeAll(handle: FileHandle, chunk: Uint8Array): Promise<void> {
  let written = 0;
  while (written < chunk.byteLength) {
    const { bytesWritten } = await handle.write(chunk, written, chunk.byteLength - written);
    written += bytesWritten;
  }
}

async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}

function parseLength(header: string | null): number | undefined {
  if (header === null || !/^\d+$/.test(header.trim())) return undefined;
  const length = Number(header.trim());
  return Number.isSafeInteger(length) ? length : undefined;
}
