import type { DownloadOptions } from './download-options';
import type { DownloadProgress, InstalledModel } from './model-types';
import { downloadCancelled } from '../../platform/downloads';

/**
 * One transfer of one model, shared by every caller who asked for it while it runs. Each caller
 * gets its own promise and may stop waiting on its own; the transfer stops when the last one does.
 */
export class SharedDownload {
  private readonly controller = new AbortController();
  private readonly progressListeners = new Set<(progress: DownloadProgress) => void>();
  private callers = 0;
  private latestProgress: DownloadProgress | undefined;
  /** Set by run(), which the owner calls right after construction. */
  private settled!: Promise<InstalledModel>;

  constructor(readonly id: string) {}

  /** Aborted when the download is cancelled or nobody waits for it any more. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get latest(): DownloadProgress {
    return this.latestProgress ?? { id: this.id, receivedBytes: 0, totalBytes: undefined, bytesPerSecond: 0, etaSeconds: undefined };
  }

  run(work: (signal: AbortSignal) => Promise<InstalledModel>): void {
    this.settled = work(this.controller.signal);
    // Callers see a failure through their own promises; this one must not count as unhandled.
    this.settled.catch(() => undefined);
  }

  /** Resolves once the transfer has stopped and its part file is closed, so it can be resumed or removed. */
  async stop(): Promise<void> {
    this.controller.abort(downloadCancelled());
    await this.finished();
  }

  finished(): Promise<void> {
    return this.settled.then(
      () => undefined,
      () => undefined,
    );
  }

  report(progress: DownloadProgress): void {
    this.latestProgress = progress;
    for (const listener of this.progressListeners) {
      try {
        listener(progress);
      } catch {
        // One caller's failing callback must not fail the download the others wait for.
      }
    }
  }

  join({ signal, onProgress }: DownloadOptions): Promise<InstalledModel> {
    this.callers += 1;
    if (onProgress) {
      this.progressListeners.add(onProgress);
      if (this.latestProgress) onProgress(this.latestProgress);
    }
    return new Promise<InstalledModel>((resolve, reject) => {
      let waiting = true;
      const leave = () => {
        waiting = false;
        signal?.removeEventListener('abort', onAbort);
        if (onProgress) this.progressListeners.delete(onProgress);
        this.callers -= 1;
      };
      const onAbort = () => {
        if (!waiting) return;
        leave();
        const cancelled = downloadCancelled(signal?.reason);
        if (this.callers > 0) return reject(cancelled);
        // The last caller gave up: stop, and answer once the part is closed and can be resumed.
        this.controller.abort(cancelled);
        void this.finished().then(() => reject(cancelled));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.settled.then(
        (model) => {
          if (!waiting) return;
          leave();
          resolve(model);
        },
        (error: unknown) => {
          if (!waiting) return;
          leave();
          reject(error);
        },
      );
    });
  }
}
