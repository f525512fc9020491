import type { ComponentHealth, HealthReport } from '#protocol';
import { ListenerSet, toDisposable, type Disposable } from '../../base';

/** What a check answers: whether the component can serve, and in words why (not). */
export type HealthResult = Pick<ComponentHealth, 'ready' | 'detail'>;
export type HealthCheck = () => Promise<HealthResult> | HealthResult;
/** Checks components that come and go (one per LLM provider, per database connection) together; reported as `<prefix>:<name>`. */
export type HealthGroupCheck = () => Promise<Record<string, HealthResult>> | Record<string, HealthResult>;

/** A check that hangs (a firewall dropping packets) must not hang /healthz with it. */
const CHECK_TIMEOUT_MS = 10_000;

/**
 * Each capability registers how to tell whether it can serve; /healthz and Diagnostics report
 * them all. The registry remembers each component's last failure, so a component that recovered
 * still shows what went wrong and when.
 */
export class HealthRegistry {
  private readonly checks = new Map<string, HealthCheck>();
  private readonly groups = new Map<string, HealthGroupCheck>();
  private readonly latest = new Map<string, ComponentHealth>();
  private readonly lastErrors = new Map<string, { detail: string; at: string }>();
  private readonly reported = new ListenerSet<[HealthReport]>();
  private readonly startedAt = Date.now();

  constructor(
    private readonly version: string,
    private readonly checkTimeoutMs = CHECK_TIMEOUT_MS,
  ) {}

  register(component: string, check: HealthCheck): Disposable {
    this.checks.set(component, check);
    return toDisposable(() => this.forget(component, check));
  }

  registerGroup(prefix: string, check: HealthGroupCheck): Disposable {
    this.groups.set(prefix, check);
    return toDisposable(() => {
      if (this.groups.get(prefix) !== check) return;
      this.groups.delete(prefix);
      for (const name of [...this.latest.keys()]) if (name.startsWith(`${prefix}:`)) this.latest.delete(name);
    });
  }

  /**
   * Runs the checks (all, or those named in `only`: a component, a group's prefix, or one member
   * of a group, which runs its group) and answers every component's latest state.
   */
  async report(options: { only?: readonly string[] } = {}): Promise<HealthReport> {
    const only = options.only;
    const wanted = (name: string) => !only || only.includes(name) || !this.latest.has(name);
    const wantedGroup = (prefix: string) =>
      !only || only.some((name) => name === prefix || name.startsWith(`${prefix}:`)) || ![...this.latest.keys()].some((name) => name.startsWith(`${prefix}:`));
    await Promise.all([
      ...[...this.checks].filter(([name]) => wanted(name)).map(([name, check]) => this.runCheck(name, check)),
      ...[...this.groups].filter(([prefix]) => wantedGroup(prefix)).map(([prefix, check]) => this.runGroup(prefix, check)),
    ]);
    const components = Object.fromEntries([...this.latest].sort(([a], [b]) => a.localeCompare(b)));
    const report: HealthReport = {
      status: Object.values(components).every((component) => component.ready) ? 'ok' : 'degraded',
      version: this.version,
      uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000),
      components,
    };
    this.reported.emit(report);
    return report;
  }

  /** Whether `name` is a registered component, group, or member name of a group. */
  has(name: string): boolean {
    return this.checks.has(name) || [...this.groups.keys()].some((prefix) => name === prefix || name.startsWith(`${prefix}:`));
  }

  /** Hears every report made (by /healthz, Diagnostics or a background check). */
  onDidReport(listener: (report: HealthReport) => void): Disposable {
    return this.reported.add(listener);
  }

  private async runCheck(name: string, check: HealthCheck): Promise<void> {
    const started = performance.now();
    const result = await settle(() => check(), this.checkTimeoutMs);
    if (this.checks.get(name) !== check) return; // unregistered while it ran
    this.record(name, result, started);
  }

  private async runGroup(prefix: string, check: HealthGroupCheck): Promise<void> {
    const started = performance.now();
    const results = await settle(() => check(), this.checkTimeoutMs);
    if (this.groups.get(prefix) !== check) return;
    if ('ready' in results && typeof results.ready === 'boolean') {
      // The group check itself failed (or timed out): say so under the group's name.
      for (const name of [...this.latest.keys()]) if (name.startsWith(`${prefix}:`)) this.latest.delete(name);
      this.record(prefix, results as HealthResult, started);
      return;
    }
    this.latest.delete(prefix);
    const members = results as Record<string, HealthResult>;
    for (const name of [...this.latest.keys()]) if (name.startsWith(`${prefix}:`) && !(name.slice(prefix.length + 1) in members)) this.latest.delete(name);
    for (const [member, result] of Object.entries(members)) this.record(`${prefix}:${member}`, result, started);
  }

  private record(name: string, result: HealthResult, started: number): void {
    const checkedAt = new Date().toISOString();
    if (!result.ready) this.lastErrors.set(name, { detail: result.detail, at: checkedAt });
    const lastError = this.lastErrors.get(name);
    this.latest.set(name, { ready: result.ready, detail: result.detail, checkedAt, ms: Math.round(performance.now() - started), ...(lastError ? { lastError } : {}) });
  }

  private forget(component: string, check: HealthCheck): void {
    if (this.checks.get(component) !== check) return;
    this.checks.delete(component);
    this.latest.delete(component);
  }
}

/** The check's answer, or a failed result saying why it threw or that it took too long. */
async function settle<T>(check: () => Promise<T> | T, timeoutMs: number): Promise<T | HealthResult> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      Promise.resolve().then(check),
      new Promise<HealthResult>((resolve) => {
        timer = setTimeout(() => resolve({ ready: false, detail: `check did not answer within ${timeoutMs / 1000} s` }), timeoutMs);
        timer.unref();
      }),
    ]);
  } catch (error) {
    return { ready: false, detail: `check failed: ${(error as Error).message}` };
  } finally {
    clearTimeout(timer);
  }
}
