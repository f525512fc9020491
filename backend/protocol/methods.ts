import { z } from 'zod';
import { healthReportSchema } from './health';
import { settingKeySchema } from './settings';

/**
 * Every request the renderer (or any control-API client) can make, with the schema of its params
 * and of its result. The socket and `POST /api/rpc/<method>` serve exactly this table.
 */
export const methods = {
  'system.ping': {
    params: z.object({ echo: z.string().max(4096).optional() }),
    result: z.object({ echo: z.string().optional(), serverTime: z.number() }),
  },
  'system.info': {
    params: z.object({}),
    result: z.object({
      name: z.string(),
      version: z.string(),
      mode: z.enum(['desktop', 'server']),
      dataDir: z.string(),
      pid: z.number(),
      node: z.string(),
      uptimeSeconds: z.number(),
    }),
  },
  'settings.list': {
    params: z.object({}),
    result: z.object({ settings: z.record(z.string(), z.unknown()) }),
  },
  'settings.set': {
    params: z.object({ key: settingKeySchema, value: z.unknown() }),
    result: z.object({ key: settingKeySchema, value: z.unknown() }),
  },
  'secrets.list': {
    params: z.object({}),
    result: z.object({ secrets: z.array(z.object({ name: z.string(), updatedAt: z.string() })) }),
  },
  'secrets.set': {
    params: z.object({
      name: z.string().regex(/^[a-z0-9][a-z0-9._:-]{0,127}$/, 'lowercase letters, digits and . _ : - only'),
      value: z.string().min(1).max(65536),
    }),
    result: z.object({ name: z.string(), updatedAt: z.string() }),
  },
  'secrets.delete': {
    params: z.object({ name: z.string().min(1).max(128) }),
    result: z.object({ deleted: z.boolean() }),
  },
  'diagnostics.health': {
    params: z.object({}),
    result: healthReportSchema,
  },
  'diagnostics.recentLogs': {
    params: z.object({ limit: z.number().int().min(1).max(1000).default(200) }),
    result: z.object({
      entries: z.array(
        z.object({ time: z.number(), level: z.string(), msg: z.string(), fields: z.record(z.string(), z.unknown()) }),
      ),
    }),
  },
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type ParamsOf<M extends MethodName> = z.input<Methods[M]['params']>;
export type ParsedParamsOf<M extends MethodName> = z.output<Methods[M]['params']>;
export type ResultOf<M extends MethodName> = z.output<Methods[M]['result']>;

export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(methods, name);
}
