import type { Logger } from '../../platform/observability';
import type { MediaFiles } from './media-files';

/** How often kept voice notes are looked over; also once at start. */
const PRUNE_EVERY_MS = 6 * 3_600_000;
const DAY_MS = 86_400_000;

/** Deletes voice notes older than `whatsapp.mediaRetentionDays` (0: never), at start and every few hours. */
export class MediaRetention {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly deps: {
      media: MediaFiles;
      retentionDays(): Promise<number>;
      logger: Logger;
      now?: () => number;
    },
  ) {}

  start(): void {
    void this.pruneNow();
    this.timer = setInterval(() => void this.pruneNow(), PRUNE_EVERY_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One pass (a failure is logged, not thrown). */
  pruneNow(): Promise<void> {
    this.running ??= this.prune().finally(() => (this.running = undefined));
    return this.running;
  }

  private async prune(): Promise<void> {
    try {
      const days = await this.deps.retentionDays();
      if (days <= 0) return;
      const removed = await this.deps.media.prune((this.deps.now ?? Date.now)() - days * DAY_MS);
      if (removed) this.deps.logger.info({ removed, days }, 'WhatsApp voice notes past their retention deleted (transcripts stay)');
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'WhatsApp voice notes could not be pruned; trying again later');
    }
  }
}
