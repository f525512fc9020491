import type { ComponentHealth, HealthReport } from '#protocol';

export type HealthCheck = () => Promise<Omit<ComponentHealth, 'checkedAt'>> | Omit<ComponentHealth, 'checkedAt'>;

/** Each capability registers how to tell whether it can serve; /healthz reports them all. */
export class HealthRegistry {
  private readonly checks = new Map<string, HealthCheck>();
  private readonly startedAt = Date.now();

  constructor(private readonly version: string) {}

  register(component: string, check: HealthCheck): void {
    this.checks.set(component, check);
  }

  async report(): Promise<HealthReport> {
    const components: Record<string, ComponentHealth> = {};
    await Promise.all(
      [...this.checks].map(async ([name, check]) => {
        const checkedAt = new Date().toISOString();
        try {
          components[name] = { ...(await check()), checkedAt };
        } catch (error) {
          components[name] = { ready: false, detail: `check failed: ${(error as Error).message}`, checkedAt };
        }
      }),
    );
    return {
      status: Object.values(components).every((component) => component.ready) ? 'ok' : 'degraded',
      version: this.version,
      uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000),
      components,
    };
  }
}
