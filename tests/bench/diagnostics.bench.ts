import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { STAGES, type Stage } from '#protocol';
import { diagnosticsMigrations } from '../../backend/diagnostics/migrations';
import { MetricsRecorder } from '../../backend/diagnostics/metrics/metrics-recorder';
import { StageMetricStore } from '../../backend/diagnostics/metrics/stage-metric-store';
import { BackendMetrics } from '../../backend/platform/observability';
import { openAppStore } from '../../backend/store';
import { median, type BenchRow } from './bench-table';

const EVENTS = 200_000;
const ROUNDS = 5;
const FLUSHES = 200;

/**
 * What recording a stage duration costs the turn that records it: `observeStage` with the
 * Diagnostics time series listening (Prometheus histogram + the in-memory minute bucket and
 * latency sketch), against the Prometheus histogram alone and an empty call, all in this run.
 * The write to the app store happens later, off the turn, at most once a second: measured apart.
 */
export async function benchDiagnostics(): Promise<BenchRow[]> {
  const dataDir = await mkdtemp(join(tmpdir(), 'parley-bench-diagnostics-'));
  const store = await openAppStore({ dataDir, secretKey: randomBytes(32).toString('base64') });
  try {
    await store.applyMigrations(diagnosticsMigrations);
    const durations = Float64Array.from({ length: EVENTS }, (_, index) => 5 + ((index * 7919) % 3000) / 3);
    const stages = Array.from({ length: EVENTS }, (_, index) => STAGES[index % STAGES.length]!);

    const plain = new BackendMetrics();
    const withSeries = new BackendMetrics();
    const recorder = new MetricsRecorder({ metrics: withSeries, store: new StageMetricStore(store.knex), settings: store.settings, publish: () => {}, logger: pino({ level: 'silent' }), flushDelayMs: 60_000 });
    recorder.start();
    let sink = 0;
    const noop = (stage: Stage, ms: number) => {
      sink += ms + stage.length;
    };

    const perEvent = (observe: (stage: Stage, ms: number) => void) =>
      median(
        Array.from({ length: ROUNDS }, () => {
          const started = performance.now();
          for (let index = 0; index < EVENTS; index++) observe(stages[index]!, durations[index]!);
          return ((performance.now() - started) * 1000) / EVENTS;
        }),
      );
    // Warm every path up before measuring.
    perEvent(noop);
    perEvent((stage, ms) => plain.observeStage(stage, ms));
    perEvent((stage, ms) => withSeries.observeStage(stage, ms));
    await recorder.flush();

    const empty = perEvent(noop);
    const histogram = perEvent((stage, ms) => plain.observeStage(stage, ms));
    const recorded = perEvent((stage, ms) => withSeries.observeStage(stage, ms));
    await recorder.flush();

    // The background write: a second's worth of a busy console (10 events over 3 stages) per flush.
    const flushMs: number[] = [];
    for (let flush = 0; flush < FLUSHES; flush++) {
      for (let index = 0; index < 10; index++) withSeries.observeStage((['llm_total', 'tool', 'stt'] as const)[index % 3]!, 100 + index);
      const started = performance.now();
      await recorder.flush();
      flushMs.push(performance.now() - started);
    }
    const insertMs: number[] = [];
    await store.knex.schema.createTable('bench_rows', (table) => table.integer('n'));
    for (let insert = 0; insert < FLUSHES; insert++) {
      const started = performance.now();
      await store.knex('bench_rows').insert({ n: insert });
      insertMs.push(performance.now() - started);
    }
    await recorder.stop();
    if (sink < 0) throw new Error('unreachable: keeps the empty call from being optimised away');

    return [
      { name: 'diagnostics: stage metric recording per event (Prometheus + time series)', value: recorded, unit: 'µs', baselineName: 'Prometheus histogram alone', baseline: histogram, goal: '< 50 µs' },
      { name: 'diagnostics: Prometheus histogram alone per event', value: histogram, unit: 'µs', baselineName: 'empty function call', baseline: empty },
      { name: 'diagnostics: time-series write per flush (10 events, 3 stages; off the turn, ≤ 1/s)', value: median(flushMs), unit: 'ms', baselineName: 'one knex insert', baseline: median(insertMs) },
    ];
  } finally {
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
