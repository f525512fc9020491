/**
 * `npm run bench`: every performance goal of the product, each measured against a baseline in the
 * same run (these machines are noisy, so ratios travel better than absolute numbers).
 */
import { benchActionToolOverhead } from './actions-tool-overhead.bench';
import { benchAgentOverhead } from './agent-overhead.bench';
import { benchBackendColdStart } from './backend-start.bench';
import { formatTable, type BenchRow } from './bench-table';
import { benchDatabases } from './databases.bench';
import { benchDiagnostics } from './diagnostics.bench';
import { benchDocuments } from './documents.bench';
import { benchJobQueue } from './job-queue.bench';
import { benchOggOpusDecode } from './ogg-opus-decode.bench';
import { benchRendererStreaming } from './renderer-streaming.bench';
import { benchSocketRoundTrip } from './socket-round-trip.bench';
import { benchSpeechToText } from './stt.bench';
import { benchTextToSpeech } from './tts.bench';
import { benchVoice } from './voice.bench';
import { benchWhatsApp } from './whatsapp.bench';

const benches: Array<{ title: string; run(): Promise<BenchRow[]> }> = [
  { title: 'backend cold start', run: benchBackendColdStart },
  { title: 'socket round trip', run: benchSocketRoundTrip },
  { title: 'agent overhead per turn', run: benchAgentOverhead },
  { title: 'renderer streaming', run: benchRendererStreaming },
  { title: 'text to speech (tts)', run: benchTextToSpeech },
  { title: 'speech to text (stt)', run: benchSpeechToText },
  { title: 'voice loop', run: benchVoice },
  { title: 'job queue', run: benchJobQueue },
  { title: 'ogg opus decode (uploads)', run: benchOggOpusDecode },
  { title: 'action tool overhead', run: benchActionToolOverhead },
  { title: 'whatsapp bridge', run: benchWhatsApp },
  { title: 'databases', run: benchDatabases },
  { title: 'documents (ingest, search, ocr)', run: benchDocuments },
  { title: 'diagnostics metric recording', run: benchDiagnostics },
];

// `npm run bench -- voice stt` runs only the benches whose title contains one of the words.
const only = process.argv.slice(2).map((word) => word.toLowerCase());
const selected = only.length ? benches.filter((bench) => only.some((word) => bench.title.includes(word))) : benches;

const rows: BenchRow[] = [];
for (const bench of selected) {
  process.stderr.write(`bench: ${bench.title}…\n`);
  rows.push(...(await bench.run()));
}
process.stdout.write(`\n${formatTable(rows)}\n`);
