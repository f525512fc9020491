/**
 * Resumable, SHA-256-verified downloads over HTTP ranges: the transfer itself, its retry policy
 * and a progress meter (bytes, speed, ETA). The speech model manager uses it; document and
 * WhatsApp media downloads can too.
 */
export { transferToPart, downloadCancelled, isCancelled, type TransferOptions, type TransferResult } from './resumable-transfer';
export { DEFAULT_RETRY_POLICY, retryDelayMs, parseRetryAfter, isTransientStatus, type RetryPolicy } from './retry-policy';
export { parseContentRange, type ContentRange } from './content-range';
export { ProgressMeter, type ProgressSample, type ProgressMeterOptions } from './progress-meter';
