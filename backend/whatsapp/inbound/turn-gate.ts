import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

export interface TurnGateOptions {
  /** Turns at once when the event loop keeps up (the job queue's concurrency). */
  max: number;
  /** Turns at once however busy the loop is: the bridge always makes progress. */
  min: number;
  /** Event-loop delay (p99 over the last interval) above which fewer turns start. */
  targetDelayMs: number;
  /** How often the limit is adjusted. */
  intervalMs: number;
}

export const DEFAULT_TURN_GATE: TurnGateOptions = { max: 64, min: 4, targetDelayMs: 20, intervalMs: 100 };

/**
 * How many contacts' turns run at once, adapted to the event loop. Webhooks are acknowledged on the
 * same loop as turns run, and a turn costs milliseconds of CPU (store, context, model stream, send):
 * past what a core can do, every ACK waits behind turn work. When the loop falls behind, fewer turns
 * start (halved), and more again as it keeps up (one more per interval). A contact's messages that
 * wait meanwhile are answered together by one turn, so an overloaded bridge also does less work per
 * message. Turns already running are never stopped.
 */
export class TurnGate {
  private limit: number;
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly delay: IntervalHistogram;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly options: TurnGateOptions = DEFAULT_TURN_GATE) {
    this.limit = options.max;
    this.delay = monitorEventLoopDelay({ resolution: 5 });
    this.delay.enable();
    this.timer = setInterval(() => this.adjust(), options.intervalMs);
    this.timer.unref();
  }

  /** The current limit, for diagnostics. */
  get allowed(): number {
    return this.limit;
  }

  /** Waits for a place (in arrival order); the returned function gives it back. */
  async enter(signal: AbortSignal): Promise<() => void> {
    signal.throwIfAborted();
    if (this.running < this.limit && !this.waiting.length) this.running += 1;
    else {
      // admit() counts the place as taken before it wakes the waiter.
      await new Promise<void>((resolve, reject) => {
        const wake = () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        };
        const onAbort = () => {
          const index = this.waiting.indexOf(wake);
          if (index >= 0) this.waiting.splice(index, 1);
          reject(signal.reason);
        };
        this.waiting.push(wake);
        signal.addEventListener('abort', onAbort, { once: true });
      });
    }
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.running -= 1;
      this.admit();
    };
  }

  dispose(): void {
    clearInterval(this.timer);
    this.delay.disable();
  }

  private adjust(): void {
    // The histogram's resolution is added to every sample: take it off before comparing.
    const p99Ms = this.delay.count ? this.delay.percentile(99) / 1e6 - 5 : 0;
    this.delay.reset();
    this.limit = p99Ms > this.options.targetDelayMs ? Math.max(this.options.min, Math.floor(this.limit / 2)) : Math.min(this.options.max, this.limit + 1);
    this.admit();
  }

  private admit(): void {
    while (this.waiting.length && this.running < this.limit) {
      this.running += 1;
      this.waiting.shift()!();
    }
  }
}
