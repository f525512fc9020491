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
} as const satisfies Record<string, MethodSpec>;
