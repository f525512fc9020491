import { setTimeout as delay } from 'node:timers/promises';

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export interface PacerLimits {
  /** Messages per second per business number (Meta's default throughput is 80, inbound and outbound together). */
  perNumberPerSecond: number;
  /** Sustained gap per recipient (Meta: about one message every 6 s, 131056 past it)... */
  perRecipientIntervalMs: number;
  /** ...with bursts of this many allowed. */
  perRecipientBurst: number;
}

export const META_PACING: PacerLimits = { perNumberPerSecond: sendsPerSecondWithin(80), perRecipientIntervalMs: 6_000, perRecipientBurst: 6 };

/**
 * The messages per second the pacer allows on a number of Meta's `tier`, received and sent together
 * (Meta counts both): an eighth is left for what it cannot see (other apps on the number, retries).
 */
export function sendsPerSecondWithin(tier: number): number {
  return Math.max(1, Math.floor((tier * 7) / 8));
}

/** When messages to a recipient went out since a time: what the pacer remembers across a restart. */
export type SendHistory = (recipient: string, since: number) => Promise<number[]>;

/**
 * Token buckets that keep sends under Meta's limits, so pacing errors (130429, 131056) stay the
 * exception they are retried for, not the rule. A recipient's bucket starts from the sends the store
 * recorded (the last burst × interval), so a restart does not let a burst out again to someone who
 * just had one. The per-number bucket starts full: it refills in a second, a restart takes longer.
 */
export class Pacer {
  private readonly number: Bucket;
  private perNumberPerSecond: number;
  private readonly recipients = new Map<string, Bucket>();
  private readonly seeding = new Map<string, Promise<void>>();

  constructor(
    private readonly limits: PacerLimits = META_PACING,
    private readonly now: () => number = Date.now,
    private readonly history?: SendHistory,
  ) {
    this.perNumberPerSecond = limits.perNumberPerSecond;
    this.number = { tokens: limits.perNumberPerSecond, updatedAt: now() };
  }

  /** The number's own rate changed (its throughput tier was set): from now on sends are paced to it. */
  setPerNumberPerSecond(perSecond: number): void {
    if (perSecond === this.perNumberPerSecond) return;
    this.perNumberPerSecond = perSecond;
    this.number.tokens = Math.min(this.number.tokens, perSecond);
  }

  /**
   * Messages the number received: Meta counts them against its throughput too. They are already
   * here, so they take their tokens at once; the debt is capped at a second's worth, so a flood
   * delays sends for at most a second after it ends.
   */
  countInbound(count: number): void {
    if (count <= 0) return;
    this.waitFor(this.number, this.perNumberPerSecond, 1000 / this.perNumberPerSecond);
    this.number.tokens = Math.max(-this.perNumberPerSecond, this.number.tokens - count);
  }

  /** Waits until a message to `recipient` may go out, then takes its tokens. */
  async take(recipient: string, signal?: AbortSignal): Promise<void> {
    if (!this.recipients.has(recipient)) await this.seed(recipient);
    for (;;) {
      const recipientBucket = this.recipientBucket(recipient);
      const numberWait = this.waitFor(this.number, this.perNumberPerSecond, 1000 / this.perNumberPerSecond);
      const recipientWait = this.waitFor(recipientBucket, this.limits.perRecipientBurst, this.limits.perRecipientIntervalMs);
      const wait = Math.max(numberWait, recipientWait);
      if (wait <= 0) {
        this.number.tokens -= 1;
        recipientBucket.tokens -= 1;
        return;
      }
      await delay(wait, undefined, { signal });
    }
  }

  /** A recipient first seen by this process: their bucket as their recorded sends left it. */
  private seed(recipient: string): Promise<void> {
    const history = this.history;
    if (!history) return Promise.resolve();
    let seeding = this.seeding.get(recipient);
    if (!seeding) {
      const { perRecipientBurst: burst, perRecipientIntervalMs: interval } = this.limits;
      seeding = history(recipient, this.now() - burst * interval)
        .then((sentAt) => {
          if (this.recipients.has(recipient)) return;
          // Replay the sends through a full bucket: what is left now is what a process that never stopped would have.
          const bucket: Bucket = { tokens: burst, updatedAt: sentAt[0] ?? this.now() };
          for (const at of sentAt) {
            bucket.tokens = Math.min(burst, bucket.tokens + (at - bucket.updatedAt) / interval) - 1;
            bucket.updatedAt = at;
          }
          this.recipients.set(recipient, bucket);
        })
        // Without the history the bucket starts full, as it always did: pacing is a courtesy to Meta, not a reason to fail a send.
        .catch(() => undefined)
        .finally(() => this.seeding.delete(recipient));
      this.seeding.set(recipient, seeding);
    }
    return seeding;
  }

  private recipientBucket(recipient: string): Bucket {
    let bucket = this.recipients.get(recipient);
    if (!bucket) {
      bucket = { tokens: this.limits.perRecipientBurst, updatedAt: this.now() };
      this.recipients.set(recipient, bucket);
      // Full buckets hold no information: drop them so the map does not grow with every contact ever seen.
      if (this.recipients.size > 10_000) for (const [key, value] of this.recipients) if (value.tokens >= this.limits.perRecipientBurst) this.recipients.delete(key);
    }
    return bucket;
  }

  /** Refills by elapsed time; the ms until one token is there (0 if it is). */
  private waitFor(bucket: Bucket, capacity: number, refillEveryMs: number): number {
    const now = this.now();
    bucket.tokens = Math.min(capacity, bucket.tokens + (now - bucket.updatedAt) / refillEveryMs);
    bucket.updatedAt = now;
    return bucket.tokens >= 1 ? 0 : Math.ceil((1 - bucket.tokens) * refillEveryMs);
  }
}
