import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { STAGES, type Stage } from '#protocol';
import { controlClient } from '../../connection';
import { useBackendEvent, useBackendQuery, useReloadOnShow } from '../../server-state';
import { defaultStage, errorRateDatasets, latencyDatasets, stageLabels, throughputDatasets, totalEvents } from './chart-data';
import { diagnosticsKeys, metricsQuery } from './diagnostics-queries';
import { LiveChart } from './LiveChart';
import { slotLabel, TIME_RANGES, type TimeRange } from './time-ranges';
import { useThrottled } from './use-throttled';

/** The window slides with the clock even when nothing happens. */
const SLIDE_MS = 30_000;
/** Metrics events come with every stored second of activity; charts redraw at most this often. */
const REDRAW_MS = 1_000;

/** Stage latencies (p50/p95/p99), throughput and error rates over a chosen range, updating live. */
export function MetricsCharts() {
  const queryClient = useQueryClient();
  const [range, setRange] = useState<TimeRange>(TIME_RANGES[0]!);
  const [chosenStage, setChosenStage] = useState<Stage | null>(null);
  const metrics = useBackendQuery({ ...metricsQuery(controlClient, range), refetchInterval: SLIDE_MS });
  useReloadOnShow(diagnosticsKeys.metricsOf(range.id));
  const refetch = useThrottled(() => void queryClient.invalidateQueries({ queryKey: diagnosticsKeys.metrics }), REDRAW_MS);
  useBackendEvent('diagnostics.metrics.updated', refetch);

  const series = useMemo(() => metrics.data?.series ?? [], [metrics.data]);
  const stage = chosenStage ?? defaultStage(series) ?? 'llm_total';
  const labels = useMemo(() => (series[0]?.points ?? []).map((point) => slotLabel(point.t, range)), [series, range]);
  const latency = useMemo(() => latencyDatasets(series, stage), [series, stage]);
  const throughput = useMemo(() => throughputDatasets(series, range.stepMs), [series, range]);
  const errorRates = useMemo(() => errorRateDatasets(series), [series]);
  const totals = totalEvents(series);

  return (
    <section className="diag-metrics" aria-labelledby="diag-metrics-title">
      <div className="section-header">
        <h2 id="diag-metrics-title">Stage metrics</h2>
        <div className="inline-row" role="radiogroup" aria-label="Time range">
          {TIME_RANGES.map((option) => (
            <button key={option.id} type="button" role="radio" aria-checked={option.id === range.id} className={option.id === range.id ? 'primary' : undefined} onClick={() => setRange(option)}>
              {option.label}
            </button>
          ))}
        </div>
      </div>
      <p className="hint" data-testid="metrics-summary">
        {metrics.isPending ? 'Loading…' : totals.count === 0 ? `No stage recorded in the last ${range.label} yet: speak or type to the agent and the charts fill in.` : `${totals.count} events, ${totals.errors} failed, in the last ${range.label}.`}
      </p>
      <div className="diag-charts">
        <div>
          <div className="inline-row">
            <span aria-hidden="true">Latency of</span>
            <select value={stage} onChange={(event) => setChosenStage(event.target.value as Stage)} aria-label="Latency stage">
              {STAGES.map((option) => (
                <option key={option} value={option}>
                  {stageLabels[option]}
                </option>
              ))}
            </select>
          </div>
          <LiveChart title={`${stageLabels[stage]}: p50, p95, p99`} labels={labels} datasets={latency} unit="ms" testId="latency-chart" />
        </div>
        <LiveChart title="Throughput per stage" labels={labels} datasets={throughput} unit="events / min" testId="throughput-chart" />
        <LiveChart title="Error rate per stage" labels={labels} datasets={errorRates} unit="% failed" testId="error-chart" />
      </div>
    </section>
  );
}
