import { describe, expect, it } from 'vitest';
import { BackendMetrics, HealthRegistry, type HealthResult } from '../../../../backend/platform/observability';

describe('HealthRegistry: groups, last errors, partial checks', () => {
  it('reports a group’s members as <prefix>:<name>, drops members that went, and reports a failing group under its prefix', async () => {
    const registry = new HealthRegistry('1.0.0');
    let members: Record<string, HealthResult> | Error = { shop: { ready: true, detail: 'ok' }, crm: { ready: false, detail: 'connection refused' } };
    registry.registerGroup('database', () => {
      if (members instanceof Error) throw members;
      return members;
    });
    let report = await registry.report();
    expect(Object.keys(report.components)).toEqual(['database:crm', 'database:shop']);
    expect(report.status).toBe('degraded');

    members = { shop: { ready: true, detail: 'ok' } };
    report = await registry.report();
    expect(Object.keys(report.components)).toEqual(['database:shop']);
    expect(report.status).toBe('ok');

    members = new Error('the store is closed');
    report = await registry.report();
    expect(report.components).toEqual({ database: expect.objectContaining({ ready: false, detail: 'check failed: the store is closed' }) });
    expect(registry.has('database:anything')).toBe(true);
    expect(registry.has('nothing')).toBe(false);
  });

  it('keeps the last error after recovery, and re-runs only what `only` names', async () => {
    const registry = new HealthRegistry('1.0.0');
    let up = false;
    let storeChecks = 0;
    registry.register('model', () => (up ? { ready: true, detail: 'loaded' } : { ready: false, detail: 'file missing' }));
    registry.register('store', () => ({ ready: true, detail: `check ${++storeChecks}` }));
    const down = await registry.report();
    expect(down.components.model).toMatchObject({ ready: false, lastError: { detail: 'file missing', at: down.components.model!.checkedAt } });

    up = true;
    const back = await registry.report({ only: ['model'] });
    expect(back.components.model).toMatchObject({ ready: true, detail: 'loaded', lastError: { detail: 'file missing' } });
    // The store was not checked again: its previous result stands.
    expect(back.components.store?.detail).toBe('check 1');
    expect(storeChecks).toBe(1);
  });

  it('answers for a check that hangs, and forgets an unregistered one', async () => {
    const registry = new HealthRegistry('1.0.0', 50);
    const registration = registry.register('remote', () => new Promise<HealthResult>(() => {}));
    const seen: string[] = [];
    registry.onDidReport((report) => seen.push(report.status));
    expect((await registry.report()).components.remote).toMatchObject({ ready: false, detail: 'check did not answer within 0.05 s' });
    registration.dispose();
    expect((await registry.report()).components).toEqual({});
    expect(seen).toEqual(['degraded', 'ok']);
  });
});

describe('BackendMetrics stage listeners', () => {
  it('hears every stage with its outcome and counts errors in parley_stage_errors_total', async () => {
    const metrics = new BackendMetrics();
    const heard: unknown[] = [];
    const listening = metrics.onStage((stage, ms, outcome) => heard.push([stage, ms, outcome]));
    metrics.observeStage('sql', 12);
    metrics.observeStage('sql', 40, 'error');
    listening.dispose();
    metrics.observeStage('sql', 5);
    expect(heard).toEqual([
      ['sql', 12, 'ok'],
      ['sql', 40, 'error'],
    ]);
    const text = await metrics.text();
    expect(text).toMatch(/^parley_stage_duration_seconds_count\{stage="sql"\} 3$/m);
    expect(text).toMatch(/^parley_stage_errors_total\{stage="sql"\} 1$/m);
  });
});
