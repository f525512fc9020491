import Chart from 'chart.js/auto';
import { useEffect, useRef } from 'react';
import type { ChartDataset } from './chart-data';

interface Props {
  title: string;
  labels: string[];
  datasets: ChartDataset[];
  unit: string;
  testId: string;
}

/**
 * A line chart that is built once and then updated in place: new labels and data go into the
 * existing datasets and `update('none')` redraws without animation or a new canvas, so a chart
 * refreshed every second does not flicker or reset its hover state.
 */
export function LiveChart({ title, labels, datasets, unit, testId }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart<'line', Array<number | null>, string> | null>(null);
  const updates = useRef(0);

  useEffect(() => {
    if (!canvas.current) return;
    const created = new Chart<'line', Array<number | null>, string>(canvas.current, {
      type: 'line',
      data: { labels: [], datasets: [] },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: 'index', intersect: false },
        // Small points: a stage seen in one slot only is a point, not a line.
        elements: { point: { radius: 2, hitRadius: 6 }, line: { borderWidth: 2, tension: 0.2 } },
        scales: { x: { ticks: { maxTicksLimit: 8, autoSkip: true } }, y: { beginAtZero: true, title: { display: true, text: unit } } },
        plugins: { legend: { position: 'bottom', labels: { boxWidth: 12 } } },
      },
    });
    chart.current = created;
    return () => {
      created.destroy();
      chart.current = null;
    };
  }, [unit]);

  useEffect(() => {
    const current = chart.current;
    if (!current) return;
    current.data.labels = labels;
    // Same datasets by label are updated in place; others are added or dropped.
    const kept = datasets.map((dataset) => {
      const existing = current.data.datasets.find((candidate) => candidate.label === dataset.label);
      if (existing) {
        existing.data = dataset.data;
        return existing;
      }
      return { label: dataset.label, data: dataset.data, borderColor: dataset.color, backgroundColor: dataset.color, spanGaps: false };
    });
    current.data.datasets = kept;
    current.update('none');
    updates.current += 1;
    canvas.current?.setAttribute('data-updates', String(updates.current));
  }, [labels, datasets]);

  const total = datasets.reduce((sum, dataset) => sum + dataset.data.reduce<number>((inner, value) => inner + (value ?? 0), 0), 0);
  return (
    <figure className="diag-chart">
      <figcaption>{title}</figcaption>
      <div className="diag-chart-canvas">
        <canvas ref={canvas} role="img" aria-label={`${title}: ${datasets.map((dataset) => dataset.label).join(', ') || 'no data'}`} data-testid={testId} data-total={Math.round(total * 100) / 100} data-series={datasets.length} />
      </div>
    </figure>
  );
}
