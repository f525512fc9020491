import { open } from 'node:fs/promises';
import { arch, platform, release } from 'node:os';
import type { Provider } from '#protocol';
import type { JobQueue } from '../../platform/jobs';
import type { BackendMetrics, HealthRegistry, Logger, RecentLogBuffer } from '../../platform/observability';
import type { SecretVault, SettingsRepository } from '../../store';
import { listLogFiles } from '../logs/log-files';
import { collectKnownSecrets } from './known-secrets';
import { SecretScrubber } from './secret-scrubber';
import { createZip, type ZipEntry } from './zip-archive';

/** Each log file contributes at most its last 5 MB, all of them at most 20 MB: a bundle must stay mailable. */
const MAX_LOG_FILE_BYTES = 5 * 1024 * 1024;
const MAX_LOG_BYTES = 20 * 1024 * 1024;
/** Variables shown in environment.json (values scrubbed): Parley's own and its bridges'. */
const OWN_VARIABLE = /^(PARLEY_|WHATSAPP_|WAHA_|NODE_ENV$|NODE_OPTIONS$)/;

export interface BundleSources {
  mode: 'desktop' | 'server';
  dataDir: string;
  environment: NodeJS.ProcessEnv;
  health: HealthRegistry;
  settings: SettingsRepository;
  secrets: SecretVault;
  recentLogs: RecentLogBuffer;
  metrics: BackendMetrics;
  jobs: JobQueue;
  logger: Logger;
  listProviders(): Promise<Provider[]>;
}

const README = `Parley diagnostics bundle
=========================
For support: what a Parley backend knew about itself when this was made.

versions.json      Parley, Node.js and the operating system
health.json        every component's health, with its last error
settings.json      every setting (secrets are not settings: they are never in here)
providers.json     LLM provider records (API keys live in the vault; header values removed)
secrets.json       the NAMES of the secrets in the vault, never their values
environment.json   Parley's environment variables, credential values removed
jobs.json          the background job queue and its dead letters
metrics.txt        /metrics in Prometheus text format
logs/              the recent in-memory log and the rotated log files (the last 5 MB of each)

Every file went through the same scrub: each secret value the backend holds (vault, environment,
the token that asked for this bundle) is replaced by [removed], and so is anything shaped like a
credential (bearer headers, passwords in URLs, "apiKey"/"token"/"password" fields, API key formats).
`;

/** Builds the support zip; `requestToken` (the caller's own bearer token) is scrubbed too. */
export async function buildDiagnosticsBundle(sources: BundleSources, requestToken: string | undefined): Promise<Buffer> {
  const scrubber = new SecretScrubber(await collectKnownSecrets(sources, requestToken ? [requestToken] : []));
  const [health, settings, providers, secrets, jobCounts, deadJobs, metricsText] = await Promise.all([
    sources.health.report(),
    sources.settings.getAll(),
    sources.listProviders().catch((error: unknown) => ({ error: `providers could not be listed: ${(error as Error).message}` })),
    sources.secrets.list(),
    sources.jobs.counts(),
    sources.jobs.list({ status: 'dead', limit: 100 }),
    sources.metrics.text(),
  ]);
  const entries: ZipEntry[] = [
    { name: 'README.txt', data: README },
    {
      name: 'versions.json',
      data: scrubber.scrubJson({ parley: health.version, mode: sources.mode, uptimeSeconds: health.uptimeSeconds, node: process.version, runtime: process.versions, os: { platform: platform(), arch: arch(), release: release() }, createdAt: new Date().toISOString() }),
    },
    { name: 'health.json', data: scrubber.scrubJson(health) },
    { name: 'settings.json', data: scrubber.scrubJson(settings) },
    { name: 'providers.json', data: scrubber.scrubJson(providers) },
    { name: 'secrets.json', data: scrubber.scrubJson(secrets.map(({ name, updatedAt }) => ({ name, updatedAt }))) },
    { name: 'environment.json', data: scrubber.scrubJson(parleyEnvironment(sources.environment)) },
    { name: 'jobs.json', data: scrubber.scrubJson({ counts: jobCounts, dead: deadJobs.map(({ payload: _payload, ...job }) => job) }) },
    { name: 'metrics.txt', data: scrubber.scrubText(metricsText) },
    { name: 'logs/recent.jsonl', data: scrubber.scrubText(sources.recentLogs.latest(Number.MAX_SAFE_INTEGER).map((entry) => JSON.stringify(entry)).join('\n')) },
    ...(await logFileEntries(sources.dataDir, scrubber)),
  ];
  return createZip(entries);
}

/** The rotated log files, newest within the budget, each cut to its last lines. */
async function logFileEntries(dataDir: string, scrubber: SecretScrubber): Promise<ZipEntry[]> {
  const entries: ZipEntry[] = [];
  let budget = MAX_LOG_BYTES;
  for (const file of (await listLogFiles(dataDir)).reverse()) {
    if (budget <= 0) break;
    const bytes = Math.min(file.size, MAX_LOG_FILE_BYTES, budget);
    budget -= bytes;
    const text = await readTail(file.path, file.size, bytes);
    // A cut file starts mid-line: drop the partial first line.
    const whole = bytes < file.size ? text.slice(text.indexOf('\n') + 1) : text;
    entries.push({ name: `logs/${file.name}`, data: scrubber.scrubText(whole) });
  }
  return entries;
}

async function readTail(path: string, size: number, bytes: number): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, size - bytes);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

function parleyEnvironment(environment: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(environment)
      .filter(([name, value]) => OWN_VARIABLE.test(name) && value !== undefined)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, value]) => [name, value!]),
  );
}
