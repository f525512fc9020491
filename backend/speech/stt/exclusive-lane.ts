import { settleWithin, type SettleLimits } from './settle-within';

/**
 * One holder at a time, first come first served. A whisper context runs one job at a time (the
 * binding locks it), and a job that would wait on that lock inside the binding would hold one of
 * libuv's four threadpool threads (shared with file and DNS work) while it waits: callers wait
 * here instead, where waiting is free and can be cancelled.
 */
export class ExclusiveLane {
  private tail: Promise<void> = Promise.resolve();

  /** Resolves to the release function once every earlier holder has released. */
  async acquire(limits: SettleLimits): Promise<() => void> {
    const previous = this.tail;
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    this.tail = previous.then(() => released);
    try {
      await settleWithin(previous, limits);
    } catch (error) {
      // Giving up the place in line: whoever is behind now waits only for `previous`.
      release();
      throw error;
    }
    return release;
  }
}
