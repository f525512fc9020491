import { z } from 'zod';
import type { MethodSpec } from './define';

export const componentHealthSchema = z.object({
  ready: z.boolean(),
  /** Human-readable state, e.g. "migrations applied (v3)" or "no model installed". */
  detail: z.string(),
  checkedAt: z.string(),
});
export type ComponentHealth = z.infer<typeof componentHealthSchema>;

export const healthReportSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  uptimeSeconds: z.number(),
  components: z.record(z.string(), componentHealthSchema),
});
export type HealthReport = z.infer<typeof healthReportSchema>;

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

export const diagnosticsMethods = {
  'diagnostics.health': {
    params: z.object({}),
    result: healthReportSchema,
  },
  'diagnostics.recentLogs': {
    params: z.object({ limit: z.number().int().min(1).max(1000).default(200) }),
    result: z.object({
      entries: z.array(z.object({ time: z.number(), level: z.string(), msg: z.string(), fields: z.record(z.string(), z.unknown()) })),
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
} as const satisfies Record<string, MethodSpec>;
