import type { DiagnosticsStatus, HealthReport } from '#protocol';
import { DisposableStore } from '../../base';
import type { EventBus, PublishEvent } from '../../platform/events';
import type { HealthRegistry, Logger } from '../../platform/observability';
import type { SettingsRepository } from '../../store';
import { AgentActivityTracker } from './agent-activity';

export interface StatusMonitorOptions {
  health: HealthRegistry;
  events: EventBus;
  publish: PublishEvent;
  settings: SettingsRepository;
  logger: Logger;
}

/**
 * The shell's status at a glance: the agent's activity and the components in trouble. Health is
 * checked in the background every `diagnostics.healthIntervalSeconds`; any report (a check now,
 * /healthz) updates it too. `diagnostics.status.changed` goes out only when something changed.
 */
export class StatusMonitor {
  private readonly subscriptions = new DisposableStore();
  private readonly activity: AgentActivityTracker;
  private unhealthy: DiagnosticsStatus['unhealthy'] = [];
  private checkedAt: string | null = null;
  private lastPublished = '';
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly options: StatusMonitorOptions) {
    this.activity = this.subscriptions.add(new AgentActivityTracker(options.events, () => this.publishIfChanged()));
    this.subscriptions.add(options.health.onDidReport((report) => this.takeReport(report)));
  }

  current(): DiagnosticsStatus {
    return { activity: this.activity.current(), unhealthy: this.unhealthy, checkedAt: this.checkedAt };
  }

  /** Checks once now (not delaying the caller), then every interval. */
  start(): void {
    void this.checkThenSchedule();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.subscriptions.dispose();
  }

  private async checkThenSchedule(): Promise<void> {
    try {
      await this.options.health.report();
    } catch (error) {
      this.options.logger.warn({ err: error }, 'background health check failed');
    }
    if (this.stopped) return;
    const seconds = await this.options.settings.get('diagnostics.healthIntervalSeconds').catch(() => 60);
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.checkThenSchedule(), seconds * 1000);
    this.timer.unref();
  }

  private takeReport(report: HealthReport): void {
    const components = Object.entries(report.components);
    this.unhealthy = components.filter(([, component]) => !component.ready).map(([component, { detail }]) => ({ component, detail }));
    this.checkedAt = components.map(([, component]) => component.checkedAt).sort().at(-1) ?? new Date().toISOString();
    this.publishIfChanged();
  }

  private publishIfChanged(): void {
    if (this.stopped) return;
    const status = this.current();
    // checkedAt changes with every check: only a change of what the indicator shows is news.
    const shown = JSON.stringify({ activity: status.activity, unhealthy: status.unhealthy });
    if (shown === this.lastPublished) return;
    this.lastPublished = shown;
    this.options.publish('diagnostics.status.changed', status);
  }
}
