import type { BackoffPolicy } from './job-queue';

/**
 * Delay before the attempt after `failedAttempts` failures: exponential, capped, minus a random
 * share so that jobs failing together do not all come back at the same instant. The jitter only
 * shortens, never lengthens, so with a factor ≥ 2 and jitter ≤ 0.5 each delay exceeds the last.
 */
export function retryDelayMs(failedAttempts: number, policy: BackoffPolicy = {}, random: () => number = Math.random): number {
  const { baseMs = 1000, factor = 2, maxMs = 5 * 60_000, jitter = 0.25 } = policy;
  const exponential = Math.min(maxMs, baseMs * factor ** Math.max(0, failedAttempts - 1));
  return Math.round(exponential * (1 - Math.min(1, Math.max(0, jitter)) * random()));
}
