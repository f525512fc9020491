export interface ProgressSample {
  receivedBytes: number;
  totalBytes: number | undefined;
  bytesPerSecond: number;
  etaSeconds: number | undefined;
}

export interface ProgressMeterOptions {
  /** At most one report per interval; the socket and the renderer need a few per second, not one per chunk. */
  intervalMs: number;
  /** Speed is measured over this trailing window, so it follows the connection rather than the whole download. */
  windowMs?: number;
  now?: () => number;
  report(sample: ProgressSample): void;
}

/** Turns a stream of byte counts into throttled reports with speed and time remaining. */
export class ProgressMeter {
  private readonly windowMs: number;
  private readonly now: () => number;
  private samples: Array<{ at: number; bytes: number }> = [];
  private latest: { receivedBytes: number; totalBytes: number | undefined } | undefined;
  private lastReportAt = Number.NEGATIVE_INFINITY;
  private pending = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: ProgressMeterOptions) {
    this.windowMs = options.windowMs ?? 5_000;
    this.now = options.now ?? (() => performance.now());
  }

  update(receivedBytes: number, totalBytes: number | undefined): void {
    const at = this.now();
    const last = this.samples.at(-1);
    // Fewer bytes than before means the transfer started over: speed from before would be meaningless.
    if (last && receivedBytes < last.bytes) this.samples = [];
    this.samples.push({ at, bytes: receivedBytes });
    this.latest = { receivedBytes, totalBytes };
    this.pending = true;
    if (at - this.lastReportAt >= this.options.intervalMs) this.reportNow();
    // A trailing report, so the last bytes before a pause or a stall are shown rather than held back.
    else this.timer ??= setTimeout(() => this.reportWhenDue(), this.options.intervalMs - (at - this.lastReportAt));
  }

  /** Timers count from the event loop's cached clock and can fire a little early: wait out the remainder. */
  private reportWhenDue(): void {
    const remaining = this.options.intervalMs - (this.now() - this.lastReportAt);
    if (remaining > 0) this.timer = setTimeout(() => this.reportWhenDue(), Math.ceil(remaining));
    else this.reportNow();
  }

  /** Reports what has not been reported yet, at once: the end of a download must not wait for the interval. */
  flush(): void {
    if (this.pending) this.reportNow();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = false;
  }

  private reportNow(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.latest) return;
    const at = this.now();
    this.lastReportAt = at;
    this.pending = false;
    const bytesPerSecond = this.speedAt(at);
    const { receivedBytes, totalBytes } = this.latest;
    const etaSeconds = totalBytes !== undefined && bytesPerSecond > 0 ? Math.max(0, totalBytes - receivedBytes) / bytesPerSecond : undefined;
    this.options.report({ receivedBytes, totalBytes, bytesPerSecond, etaSeconds });
  }

  private speedAt(at: number): number {
    const windowStart = at - this.windowMs;
    // The baseline is the newest sample at or before the window's start, or the oldest one we have.
    let baselineIndex = 0;
    for (let index = 0; index < this.samples.length; index += 1) {
      if (this.samples[index]!.at <= windowStart) baselineIndex = index;
    }
    this.samples = this.samples.slice(baselineIndex);
    const baseline = this.samples[0];
    const latest = this.samples.at(-1);
    if (!baseline || !latest) return 0;
    const seconds = (at - baseline.at) / 1000;
    return seconds > 0 ? (latest.bytes - baseline.bytes) / seconds : 0;
  }
}
