import { randomBytes } from 'node:crypto';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { diagnosticsMigrations } from '../../../backend/diagnostics/migrations';
import { MetricsRecorder } from '../../../backend/diagnostics/metrics/metrics-recorder';
import { StageMetricStore } from '../../../backend/diagnostics/metrics/stage-metric-store';
import { BackendMetrics } from '../../../backend/platform/observability';
import { openAppStore, type AppStore } from '../../../backend/store';
import { useTempDirs } from '../store/temp-dir';

const DAY_MS = 24 * 60 * 60 * 1000;

async function openStore(dataDir: string): Promise<AppStore> {
  const store = await openAppStore({ dataDir, secretKey: randomBytes(32).toString('base64') });
  await store.applyMigrations(diagnosticsMigrations);
  return store;
}

describe('the stage time series in the app store', () => {
  const tempDir = useTempDirs();

  it('adds to a minute already stored (a restart mid-minute) and deletes minutes older than the retention setting', async () => {
    const dataDir = await tempDir();
    const store = await openStore(dataDir);
    let now = Date.UTC(2026, 0, 20, 12, 0, 30);
    const published: string[][] = [];
    const metrics = new BackendMetrics();
    const recorder = new MetricsRecorder({
      metrics,
      store: new StageMetricStore(store.knex),
      settings: store.settings,
      publish: (_event, data) => published.push((data as { stages: string[] }).stages),
      logger: pino({ level: 'silent' }),
      now: () => now,
    });
    recorder.start();
    try {
      metrics.observeStage('sql', 12);
      metrics.observeStage('sql', 30, 'error');
      await recorder.flush();
      // A second process (or this one after a restart) records in the same minute.
      metrics.observeStage('sql', 48);
      await recorder.flush();
      now -= 20 * DAY_MS;
      metrics.observeStage('pdf_ingest_page', 900);
      await recorder.flush();
      now += 20 * DAY_MS;

      const minute = now - (now % 60_000);
      const [series] = await recorder.series({ stage: 'sql', from: minute, to: minute + 60_000, step: 60_000 });
      expect(series!.points).toEqual([expect.objectContaining({ t: minute, count: 3, errors: 1, meanMs: 30, maxMs: 48 })]);
      expect(published).toEqual([['sql'], ['sql'], ['pdf_ingest_page']]);
      expect(await store.knex('diagnostics_stage_minutes').count({ n: '*' })).toEqual([{ n: 3 - 1 }]);

      await store.settings.set('diagnostics.metricsRetentionDays', 14);
      await recorder.sweep();
      expect((await store.knex('diagnostics_stage_minutes').select('stage')).map((row: { stage: string }) => row.stage)).toEqual(['sql']);
    } finally {
      await recorder.stop();
      await store.close();
    }
  });

  it('folds minutes into larger slots with percentiles over all of them', async () => {
    const store = await openStore(await tempDir());
    const metrics = new BackendMetrics();
    let now = Date.UTC(2026, 0, 20, 12, 0, 0);
    const recorder = new MetricsRecorder({ metrics, store: new StageMetricStore(store.knex), settings: store.settings, publish: () => {}, logger: pino({ level: 'silent' }), now: () => now });
    recorder.start();
    try {
      // 100 durations of 1..100 ms spread over 10 minutes.
      for (let ms = 1; ms <= 100; ms++) {
        now = Date.UTC(2026, 0, 20, 12, 0, 0) + Math.floor((ms - 1) / 10) * 60_000;
        metrics.observeStage('tool', ms);
      }
      const from = Date.UTC(2026, 0, 20, 12, 0, 0);
      const [series] = await recorder.series({ stage: 'tool', from, to: from + 15 * 60_000, step: 15 * 60_000 });
      const [slot] = series!.points;
      expect(slot).toMatchObject({ t: from, count: 100, errors: 0, meanMs: 50.5, maxMs: 100 });
      expect(slot!.p50! / 50).toBeCloseTo(1, 1);
      expect(slot!.p95! / 95).toBeCloseTo(1, 1);
      expect(slot!.p99! / 99).toBeCloseTo(1, 1);
    } finally {
      await recorder.stop();
      await store.close();
    }
  });
});
