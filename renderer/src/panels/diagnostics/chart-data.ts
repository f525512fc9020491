import type { MetricSeries, Stage } from '#protocol';

export interface ChartDataset {
  label: string;
  data: Array<number | null>;
  color: string;
}

export const stageLabels: Record<Stage, string> = {
  vad_end: 'End of speech (VAD)',
  stt: 'Transcription',
  llm_first_token: 'LLM first token',
  llm_total: 'LLM total',
  tts_first_audio: 'First audio',
  tool: 'Tool call',
  sql: 'SQL',
  whatsapp_ack: 'WhatsApp ACK',
  whatsapp_delivery: 'WhatsApp delivery',
  pdf_ingest_page: 'PDF page ingest',
};

const stageColors: Record<Stage, string> = {
  vad_end: '#8a63d2',
  stt: '#2b8a3e',
  llm_first_token: '#1c7ed6',
  llm_total: '#364fc7',
  tts_first_audio: '#e8590c',
  tool: '#c2255c',
  sql: '#0b7285',
  whatsapp_ack: '#5c940d',
  whatsapp_delivery: '#a61e4d',
  pdf_ingest_page: '#795548',
};

const percentileColors = { p50: '#2f9e44', p95: '#f08c00', p99: '#e03131' };

/** p50, p95 and p99 of one stage over time (ms; gaps where nothing happened). */
export function latencyDatasets(series: readonly MetricSeries[], stage: Stage): ChartDataset[] {
  const points = series.find((entry) => entry.stage === stage)?.points ?? [];
  return (['p50', 'p95', 'p99'] as const).map((percentile) => ({ label: percentile, data: points.map((point) => point[percentile]), color: percentileColors[percentile] }));
}

/** Events per minute per stage: the slot's count divided by its length in minutes. */
export function throughputDatasets(series: readonly MetricSeries[], stepMs: number): ChartDataset[] {
  const minutes = stepMs / 60_000;
  return series.map(({ stage, points }) => ({ label: stageLabels[stage], data: points.map((point) => round(point.count / minutes)), color: stageColors[stage] }));
}

/** Share of failed events per stage, in percent (a gap where the stage had no event). */
export function errorRateDatasets(series: readonly MetricSeries[]): ChartDataset[] {
  return series.map(({ stage, points }) => ({ label: stageLabels[stage], data: points.map((point) => (point.count === 0 ? null : round((100 * point.errors) / point.count))), color: stageColors[stage] }));
}

/** The stage the latency chart shows first: the LLM's total when it has data, else the first stage with any. */
export function defaultStage(series: readonly MetricSeries[]): Stage | null {
  const withData = series.filter((entry) => entry.points.some((point) => point.count > 0)).map((entry) => entry.stage);
  return withData.includes('llm_total') ? 'llm_total' : (withData[0] ?? null);
}

/** Events in the window, all stages: what the panel says under the charts. */
export function totalEvents(series: readonly MetricSeries[]): { count: number; errors: number } {
  let count = 0;
  let errors = 0;
  for (const { points } of series) {
    for (const point of points) {
      count += point.count;
      errors += point.errors;
    }
  }
  return { count, errors };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
