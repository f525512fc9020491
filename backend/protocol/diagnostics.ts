import { z } from 'zod';
import { modelRefSchema } from './agent';
import { eventSpec, type MethodSpec } from './define';
import { topics } from './topics';

// ---- Health -------------------------------------------------------------------------------

export const componentHealthSchema = z.object({
  ready: z.boolean(),
  /** Human-readable state, e.g. "migrations applied (v3)" or "connection refused at 127.0.0.1:5432". */
  detail: z.string(),
  checkedAt: z.string(),
  /** How long the check took. */
  ms: z.number().optional(),
  /** The last failed check since the backend started (kept once the component recovers), for "what went wrong at 3 am". */
  lastError: z.object({ detail: z.string(), at: z.string() }).optional(),
});
export type ComponentHealth = z.infer<typeof componentHealthSchema>;

export const healthReportSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  uptimeSeconds: z.number(),
  components: z.record(z.string(), componentHealthSchema),
});
export type HealthReport = z.infer<typeof healthReportSchema>;

// ---- Jobs ---------------------------------------------------------------------------------

export const jobStatusSchema = z.enum(['queued', 'running', 'done', 'dead']);

export const jobSummarySchema = z.object({
  id: z.string(),
  queue: z.string(),
  status: jobStatusSchema,
  attempts: z.number(),
  maxAttempts: z.number(),
  lastError: z.string().nullable(),
  serialKey: z.string().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type JobSummary = z.infer<typeof jobSummarySchema>;

// ---- Metrics ------------------------------------------------------------------------------

/** The stages of a turn whose durations Parley records (`parley_stage_duration_seconds{stage}`). */
export const stageSchema = z.enum(['vad_end', 'stt', 'llm_first_token', 'llm_total', 'tts_first_audio', 'tool', 'sql', 'whatsapp_ack', 'whatsapp_delivery', 'pdf_ingest_page']);
export type Stage = z.infer<typeof stageSchema>;
export const STAGES = stageSchema.options;

/** One time slot of one stage: how many, how many failed, and the latency percentiles (null without events). */
export const metricPointSchema = z.object({
  /** Start of the slot, epoch ms. */
  t: z.number(),
  count: z.number(),
  errors: z.number(),
  p50: z.number().nullable(),
  p95: z.number().nullable(),
  p99: z.number().nullable(),
  meanMs: z.number().nullable(),
  maxMs: z.number().nullable(),
});
export type MetricPoint = z.infer<typeof metricPointSchema>;

export const metricSeriesSchema = z.object({ stage: stageSchema, points: z.array(metricPointSchema) });
export type MetricSeries = z.infer<typeof metricSeriesSchema>;

const MINUTE_MS = 60_000;
/** A query covers at most this many slots (7 days in 2-hour steps is 84; one day in minutes is 1440). */
export const MAX_METRIC_SLOTS = 1500;

// ---- Logs ---------------------------------------------------------------------------------

export const logLevelSchema = z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);
export type LogLevel = z.infer<typeof logLevelSchema>;

export const logEntrySchema = z.object({
  time: z.number(),
  level: z.string(),
  /** The capability that logged it ("backend" for the platform: transports, store, jobs). */
  component: z.string(),
  msg: z.string(),
  fields: z.record(z.string(), z.unknown()),
});
export type LogEntry = z.infer<typeof logEntrySchema>;

/** `GET` with the token: a zip of logs, versions, health, settings and provider records, every secret removed. */
export const DIAGNOSTICS_BUNDLE_PATH = '/api/diagnostics/bundle';

// ---- Status at a glance ------------------------------------------------------------------

/** What the agent is doing now on this backend, across channels (a console's own voice states come from its voice stream). */
export const agentActivitySchema = z.object({
  state: z.enum(['idle', 'thinking', 'tool']),
  /** Turns being answered now. */
  turns: z.number(),
  /** Tool calls running now, by tool name. */
  tools: z.array(z.string()),
});
export type AgentActivity = z.infer<typeof agentActivitySchema>;

export const diagnosticsStatusSchema = z.object({
  activity: agentActivitySchema,
  /** Components whose last check failed. */
  unhealthy: z.array(z.object({ component: z.string(), detail: z.string() })),
  /** When health was last checked; null before the first check. */
  checkedAt: z.string().nullable(),
});
export type DiagnosticsStatus = z.infer<typeof diagnosticsStatusSchema>;

// ---- Replay evaluation ---------------------------------------------------------------------

export const replayRunStatusSchema = z.enum(['queued', 'running', 'done', 'failed', 'cancelled']);
export type ReplayRunStatus = z.infer<typeof replayRunStatusSchema>;

export const replayRunSchema = z.object({
  id: z.string(),
  status: replayRunStatusSchema,
  conversationIds: z.array(z.string()),
  /** The model replayed against; null: each conversation's own channel model. */
  model: modelRefSchema.nullable(),
  /** The system prompt replayed with; null: each conversation's own channel prompt. */
  systemPrompt: z.string().nullable(),
  totalTurns: z.number(),
  doneTurns: z.number(),
  /** Summary over the turns replayed so far. */
  toolsMatched: z.number(),
  groundingKept: z.number(),
  /** Turns whose original answer had sources (the denominator of groundingKept). */
  groundedOriginals: z.number(),
  failedTurns: z.number(),
  error: z.string().nullable(),
  createdAt: z.number(),
  finishedAt: z.number().nullable(),
});
export type ReplayRun = z.infer<typeof replayRunSchema>;

const answerSideSchema = z.object({
  text: z.string(),
  /** Tool names called, in call order. */
  tools: z.array(z.string()),
  sources: z.array(z.string()),
  totalMs: z.number().nullable(),
  firstTokenMs: z.number().nullable(),
  model: z.string().nullable(),
  /** 'complete', or why there is no usable answer ('failed', 'cancelled', 'missing', 'error'). */
  status: z.string(),
  error: z.string().nullable(),
});
export type ReplayAnswerSide = z.infer<typeof answerSideSchema>;

export const replayResultSchema = z.object({
  runId: z.string(),
  conversationId: z.string(),
  conversationTitle: z.string(),
  /** The user turn's position in its conversation (0-based). */
  turnIndex: z.number(),
  userText: z.string(),
  original: answerSideSchema,
  replay: answerSideSchema,
  /** Same tool names called (as sets) as the original. */
  toolsMatch: z.boolean(),
  /** null when the original had no sources; else whether the replay's answer has sources too. */
  groundingKept: z.boolean().nullable(),
  /** Replay total minus original total (ms); null when either is missing. */
  latencyDeltaMs: z.number().nullable(),
});
export type ReplayResult = z.infer<typeof replayResultSchema>;

/** `GET` with the token: a run's results as `.csv` or `.json`. */
export const replayExportPath = (runId: string, format: 'csv' | 'json') => `/api/diagnostics/replays/${encodeURIComponent(runId)}.${format}`;
export const REPLAY_EXPORT_PREFIX = '/api/diagnostics/replays/';

// ---- Tables ---------------------------------------------------------------------------------

export const diagnosticsSettings = {
  /** Per-minute stage metrics older than this are deleted (the charts reach back 7 days). */
  'diagnostics.metricsRetentionDays': z.number().int().min(1).max(365).default(14),
  /** How often every component's health is checked in the background (the shell's red dot). */
  'diagnostics.healthIntervalSeconds': z.number().int().min(15).max(3600).default(60),
};

export const diagnosticsMethods = {
  'diagnostics.health': {
    params: z.object({}),
    result: healthReportSchema,
  },
  /** Runs the checks again now: one component (or one group, e.g. "llm:openai"), or all; answers the whole report. */
  'diagnostics.health.check': {
    params: z.object({ component: z.string().min(1).max(200).optional() }),
    result: healthReportSchema,
  },
  'diagnostics.recentLogs': {
    params: z.object({ limit: z.number().int().min(1).max(1000).default(200) }),
    result: z.object({
      entries: z.array(z.object({ time: z.number(), level: z.string(), msg: z.string(), fields: z.record(z.string(), z.unknown()) })),
    }),
  },
  /**
   * The structured log, filtered on the backend: the in-memory ring (the last 1000 lines) or the
   * rotated log files. `search` matches the message and the fields, case-insensitively.
   */
  'diagnostics.logs': {
    params: z.object({
      source: z.enum(['recent', 'files']).default('recent'),
      minLevel: logLevelSchema.default('trace'),
      component: z.string().max(100).optional(),
      search: z.string().max(500).optional(),
      limit: z.number().int().min(1).max(2000).default(300),
    }),
    result: z.object({
      /** Oldest first. */
      entries: z.array(logEntrySchema),
      /** Components seen in what was scanned, for the filter. */
      components: z.array(z.string()),
      /** Lines read to answer. */
      scanned: z.number(),
    }),
  },
  /** The job queue: counts per queue and state, and the latest jobs (dead letters with their error). */
  'diagnostics.jobs': {
    params: z.object({ status: jobStatusSchema.optional(), queue: z.string().max(100).optional(), limit: z.number().int().min(1).max(500).default(100) }),
    result: z.object({
      counts: z.array(z.object({ queue: z.string(), queued: z.number(), running: z.number(), done: z.number(), dead: z.number() })),
      jobs: z.array(jobSummarySchema),
    }),
  },
  /** Puts a dead job back in its queue, with fresh attempts. */
  'diagnostics.jobs.retry': {
    params: z.object({ id: z.string().min(1).max(100) }),
    result: z.object({}),
  },
  /**
   * Stage latencies, throughput and errors from the stored time series, in slots of `step` ms
   * from `from` (inclusive) to `to` (exclusive). Without `stage`, every stage that has events.
   */
  'diagnostics.metrics': {
    params: z
      .object({
        stage: stageSchema.optional(),
        from: z.number().int().min(0),
        to: z.number().int().min(0),
        step: z.number().int().min(MINUTE_MS).max(7 * 24 * 60 * MINUTE_MS).default(MINUTE_MS),
      })
      .refine((params) => params.to > params.from, { message: '"to" must be after "from"' })
      .refine((params) => (params.to - params.from) / params.step <= MAX_METRIC_SLOTS, { message: `at most ${MAX_METRIC_SLOTS} slots: choose a larger step` }),
    result: z.object({ from: z.number(), to: z.number(), step: z.number(), series: z.array(metricSeriesSchema) }),
  },
  /** What the shell's status indicator shows: the agent's activity and the components in trouble. */
  'diagnostics.status': {
    params: z.object({}),
    result: diagnosticsStatusSchema,
  },
  /** Starts replaying these conversations' user turns against another model and/or system prompt (a job; progress on the `diagnostics` topic). */
  'diagnostics.replay': {
    params: z.object({
      conversationIds: z.array(z.string().min(1).max(100)).min(1).max(50),
      model: modelRefSchema.optional(),
      systemPrompt: z.string().max(20_000).optional(),
    }),
    result: z.object({ run: replayRunSchema }),
  },
  'diagnostics.replay.list': {
    params: z.object({ limit: z.number().int().min(1).max(200).default(50) }),
    result: z.object({ runs: z.array(replayRunSchema) }),
  },
  'diagnostics.replay.get': {
    params: z.object({ id: z.string().min(1).max(100) }),
    result: z.object({ run: replayRunSchema, results: z.array(replayResultSchema) }),
  },
  /** Stops a queued or running replay; the turns replayed so far are kept. */
  'diagnostics.replay.cancel': {
    params: z.object({ id: z.string().min(1).max(100) }),
    result: z.object({ run: replayRunSchema }),
  },
} as const satisfies Record<string, MethodSpec>;

export const diagnosticsEvents = {
  /** New stage durations were stored (at most about once a second): charts showing these stages refetch. */
  'diagnostics.metrics.updated': eventSpec(z.object({ stages: z.array(stageSchema), at: z.number() }), () => topics.diagnostics),
  /** A replay run moved on: its new state, and the turn just scored (if any). */
  'diagnostics.replay.progress': eventSpec(z.object({ run: replayRunSchema, result: replayResultSchema.optional() }), () => topics.diagnostics),
  /** The agent's activity or the set of unhealthy components changed (the shell holds this topic). */
  'diagnostics.status.changed': eventSpec(diagnosticsStatusSchema, () => topics.diagnosticsStatus),
};
