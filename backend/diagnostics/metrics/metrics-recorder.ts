import { STAGES, type MetricSeries, type ParsedParamsOf, type Stage } from '#protocol';
import type { Disposable } from '../../base';
import type { PublishEvent } from '../../platform/events';
import type { BackendMetrics, Logger } from '../../platform/observability';
import type { SettingsRepository } from '../../store';
import { toSeries } from './metric-series';
import { PendingStageBuckets } from './stage-buckets';
import type { StageMetricStore } from './stage-metric-store';

const DAY_MS = 24 * 60 * 60 * 1000;
const SWEEP_INTERVAL_MS = 60 * 60 * 1000;

export interface MetricsRecorderOptions {
  metrics: BackendMetrics;
  store: StageMetricStore;
  settings: SettingsRepository;
  publish: PublishEvent;
  logger: Logger;
  /** Pending durations are written (and the panel told) this long after the first of them. */
  flushDelayMs?: number;
  now?: () => number;
}

/**
 * Keeps every stage duration `/metrics` records as a per-minute time series in the app store:
 * recorded in memory as it happens, written at most once a second, announced on the
 * `diagnostics` topic so open charts refetch, and deleted after the retention setting.
 */
export class MetricsRecorder {
  private readonly pending = new PendingStageBuckets();
  private readonly pendingStages = new Set<Stage>();
  private readonly now: () => number;
  private subscription: Disposable | undefined;
  private flushTimer: NodeJS.Timeout | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly options: MetricsRecorderOptions) {
    this.now = options.now ?? Date.now;
  }

  start(): void {
    this.subscription = this.options.metrics.onStage((stage, milliseconds, outcome) => this.record(stage, milliseconds, outcome === 'error'));
    this.sweepTimer = setInterval(() => void this.sweep(), SWEEP_INTERVAL_MS);
    this.sweepTimer.unref();
    void this.sweep();
  }

  record(stage: Stage, milliseconds: number, failed: boolean): void {
    this.pending.record(stage, milliseconds, failed, this.now());
    this.pendingStages.add(stage);
    if (!this.flushTimer) {
      this.flushTimer = setTimeout(() => void this.flush(), this.options.flushDelayMs ?? 1000);
      this.flushTimer.unref();
    }
  }

  /** Writes what is pending (after any write under way) and tells the panels which stages changed. */
  flush(): Promise<void> {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.pending.isEmpty) return this.flushing;
    const buckets = this.pending.drain();
    const stages = [...this.pendingStages];
    this.pendingStages.clear();
    this.flushing = this.flushing
      .then(() => this.options.store.add(buckets))
      .then(
        () => this.options.publish('diagnostics.metrics.updated', { stages, at: this.now() }),
        (error: unknown) => this.options.logger.warn({ err: error, buckets: buckets.length }, 'stage metrics could not be stored; these durations are only in /metrics'),
      );
    return this.flushing;
  }

  async series(params: ParsedParamsOf<'diagnostics.metrics'>): Promise<MetricSeries[]> {
    await this.flush();
    const wanted = params.stage ? [params.stage] : undefined;
    const buckets = await this.options.store.range(params.from, params.to, wanted);
    // Without a stage asked for, the stages that had events in the window (in the protocol's order).
    const stages = wanted ?? STAGES.filter((stage) => buckets.some((bucket) => bucket.stage === stage));
    return toSeries(buckets, params, stages);
  }

  async sweep(): Promise<void> {
    try {
      const days = await this.options.settings.get('diagnostics.metricsRetentionDays');
      const removed = await this.options.store.prune(this.now() - days * DAY_MS);
      if (removed > 0) this.options.logger.debug({ removed, days }, 'old stage metrics deleted');
    } catch (error) {
      this.options.logger.warn({ err: error }, 'old stage metrics could not be deleted');
    }
  }

  async stop(): Promise<void> {
    this.subscription?.dispose();
    clearInterval(this.sweepTimer);
    await this.flush();
  }
}
