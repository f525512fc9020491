import { z } from 'zod';

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
