import { describe, expect, it } from 'vitest';
import { healthReportSchema } from '#protocol';
import { HealthRegistry, RecentLogBuffer } from '../../../../backend/platform/observability';

function write(buffer: RecentLogBuffer, line: string): Promise<void> {
  return new Promise((resolve, reject) => buffer.write(line, (error) => (error ? reject(error) : resolve())));
}

describe('RecentLogBuffer', () => {
  it('keeps the last N entries with level names and the rest of the fields', async () => {
    const buffer = new RecentLogBuffer(3);
    for (let index = 1; index <= 5; index += 1) {
      await write(buffer, JSON.stringify({ level: index % 2 ? 30 : 50, time: index, msg: `line ${index}`, pid: 1, n: index }));
    }
    expect(buffer.latest(10)).toEqual([
      { time: 3, level: 'info', msg: 'line 3', fields: { n: 3 } },
      { time: 4, level: 'error', msg: 'line 4', fields: { n: 4 } },
      { time: 5, level: 'info', msg: 'line 5', fields: { n: 5 } },
    ]);
    expect(buffer.latest(1).map((entry) => entry.msg)).toEqual(['line 5']);
  });

  it('skips lines that are not JSON and keeps going', async () => {
    const buffer = new RecentLogBuffer(10);
    await write(buffer, 'not json at all');
    await write(buffer, JSON.stringify({ level: 20, time: 9, msg: 'ok' }));
    expect(buffer.latest(10)).toEqual([{ time: 9, level: 'debug', msg: 'ok', fields: {} }]);
  });
});

describe('HealthRegistry', () => {
  it('is ok when every component is ready and degraded when one is not or its check throws', async () => {
    const registry = new HealthRegistry('9.9.9');
    registry.register('store', () => ({ ready: true, detail: 'fine' }));
    let report = healthReportSchema.parse(await registry.report());
    expect(report).toMatchObject({ status: 'ok', version: '9.9.9', components: { store: { ready: true, detail: 'fine' } } });
    expect(Date.parse(report.components.store?.checkedAt ?? '')).not.toBeNaN();

    registry.register('model', async () => ({ ready: false, detail: 'no model installed' }));
    report = await registry.report();
    expect(report.status).toBe('degraded');
    expect(report.components.model).toMatchObject({ ready: false, detail: 'no model installed' });

    registry.register('model', async () => {
      throw new Error('disk gone');
    });
    report = await registry.report();
    expect(report.status).toBe('degraded');
    expect(report.components.model).toMatchObject({ ready: false, detail: 'check failed: disk gone' });
  });
});
