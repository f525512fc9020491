import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { healthReportSchema } from '#protocol';
import { closedPort, startAgentFixture, type AgentFixture } from '../agent/agent-fixture';
import { diagnosticsSocket } from './diagnostics-fixture';

describe('component health in Diagnostics', () => {
  let fixture: AgentFixture;
  beforeEach(async () => {
    fixture = await startAgentFixture();
  });
  afterEach(async () => fixture.close());

  it('turns a provider made unreachable red with the reason, in the check, /healthz and the shell status, and keeps the last error once it is back', async () => {
    const socket = await diagnosticsSocket(fixture.backend);
    let report = await fixture.backend.call('diagnostics.health.check', { component: 'llm' });
    expect(report.components['llm:scripted']).toMatchObject({ ready: true, detail: expect.stringContaining('2 models listed') });
    expect(report.components['llm:scripted']!.lastError).toBeUndefined();

    const port = await closedPort();
    const reachable = (await fixture.backend.call('providers.list', {})).providers[0]!;
    await fixture.backend.call('providers.save', { ...reachable, baseUrl: `http://127.0.0.1:${port}/v1` });
    report = await fixture.backend.call('diagnostics.health.check', { component: 'llm:scripted' });
    expect(report.status).toBe('degraded');
    const down = report.components['llm:scripted']!;
    expect(down.ready).toBe(false);
    expect(down.detail).toMatch(new RegExp(`127\\.0\\.0\\.1:${port}`));
    expect(down.detail).toMatch(/refused/i);
    expect(down.lastError).toMatchObject({ detail: down.detail });

    // /healthz (no token) carries the same, and the shell's indicator hears about it.
    const healthz = healthReportSchema.parse(await (await fetch(`${fixture.backend.url}/healthz`)).json());
    expect(healthz.components['llm:scripted']).toMatchObject({ ready: false, detail: down.detail });
    const status = await socket.waitForEvent('diagnostics.status.changed');
    expect(status.unhealthy).toEqual([{ component: 'llm:scripted', detail: down.detail }]);
    expect(await fixture.backend.call('diagnostics.status', {})).toMatchObject({ unhealthy: [{ component: 'llm:scripted' }] });

    await fixture.backend.call('providers.save', { ...reachable });
    report = await fixture.backend.call('diagnostics.health.check', {});
    expect(report.components['llm:scripted']).toMatchObject({ ready: true, lastError: { detail: down.detail } });
    expect((await socket.waitForEvent('diagnostics.status.changed')).unhealthy).toEqual([]);
  });

  it('checks a provider no channel uses without contacting it', async () => {
    const port = await closedPort();
    await fixture.backend.call('providers.save', { id: 'spare', kind: 'custom', name: 'Spare', baseUrl: `http://127.0.0.1:${port}/v1` });
    const report = await fixture.backend.call('diagnostics.health.check', { component: 'llm' });
    expect(report.components['llm:spare']).toMatchObject({ ready: true, detail: expect.stringContaining('not chosen for any channel') });
    // Chosen as a fallback, it is checked (and found down).
    await fixture.backend.call('settings.set', { key: 'agent.fallbacks', value: [{ providerId: 'spare', model: 'm' }] });
    const checked = await fixture.backend.call('diagnostics.health.check', { component: 'llm:spare' });
    expect(checked.components['llm:spare']).toMatchObject({ ready: false, detail: expect.stringMatching(/refused/i) });
  });

  it('turns a database connection made unreachable red with the reason (real PostgreSQL, then a closed port)', async () => {
    await fixture.backend.call('databases.save', { name: 'orders', dialect: 'postgres', host: '127.0.0.1', port: 5432, database: 'postgres', user: 'postgres', password: 'unused-with-trust' });
    let report = await fixture.backend.call('diagnostics.health.check', { component: 'database' });
    expect(report.components['database:orders']).toMatchObject({ ready: true, detail: expect.stringContaining('PostgreSQL') });
    // The bundled demo shop is checked too.
    expect(Object.keys(report.components).filter((name) => name.startsWith('database:')).length).toBeGreaterThanOrEqual(2);

    const port = await closedPort();
    await fixture.backend.call('databases.save', { name: 'orders', dialect: 'postgres', host: '127.0.0.1', port, database: 'postgres', user: 'postgres' });
    report = await fixture.backend.call('diagnostics.health.check', { component: 'database:orders' });
    expect(report.status).toBe('degraded');
    expect(report.components['database:orders']).toMatchObject({ ready: false, detail: expect.stringMatching(/refused|not reachable|connect/i) });
    expect(report.components['database:orders']!.lastError).toBeDefined();

    // A removed connection leaves the report.
    await fixture.backend.call('databases.remove', { name: 'orders' });
    report = await fixture.backend.call('diagnostics.health.check', { component: 'database' });
    expect(report.components['database:orders']).toBeUndefined();
    await expect(fixture.backend.call('diagnostics.health.check', { component: 'no-such-part' })).rejects.toMatchObject({ code: 'not_found' });
  });
});
