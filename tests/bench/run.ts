/**
 * `npm run bench`: every performance goal of the product, each measured against a baseline in the
 * same run (these machines are noisy, so ratios travel better than absolute numbers).
 */
import { benchAgentOverhead } from './agent-overhead.bench';
import { benchBackendColdStart } from './backend-start.bench';
import { formatTable, type BenchRow } from './bench-table';
import { benchRendererStreaming } from './renderer-streaming.bench';
import { benchSocketRoundTrip } from './socket-round-trip.bench';

const benches: Array<{ title: string; run(): Promise<BenchRow[]> }> = [
  { title: 'backend cold start', run: benchBackendColdStart },
  { title: 'socket round trip', run: benchSocketRoundTrip },
  { title: 'agent overhead per turn', run: benchAgentOverhead },
  { title: 'renderer streaming', run: benchRendererStreaming },
];

const rows: BenchRow[] = [];
for (const bench of benches) {
  process.stderr.write(`bench: ${bench.title}…\n`);
  rows.push(...(await bench.run()));
}
process.stdout.write(`\n${formatTable(rows)}\n`);
