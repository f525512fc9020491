import { z } from 'zod';
import { direct, eventSpec, type MethodSpec } from './define';
import { settingKeySchema } from './settings';
import { topicSchema, topics } from './topics';

/** The shell's methods: liveness, settings, secrets and event subscriptions. */
export const systemMethods = {
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
  /** This socket starts receiving the events of these topics (see topics.ts); returns all it holds now. */
  'events.subscribe': {
    params: z.object({ topics: z.array(topicSchema).min(1).max(64) }),
    result: z.object({ topics: z.array(z.string()) }),
  },
  'events.unsubscribe': {
    params: z.object({ topics: z.array(topicSchema).min(1).max(64) }),
    result: z.object({ topics: z.array(z.string()) }),
  },
} as const satisfies Record<string, MethodSpec>;

export const systemEvents = {
  /** First frame on every authenticated socket. */
  'system.hello': eventSpec(
    z.object({ connectionId: z.string(), version: z.string(), mode: z.enum(['desktop', 'server']), protocolVersion: z.number() }),
    direct,
  ),
  'settings.changed': eventSpec(z.object({ key: settingKeySchema, value: z.unknown() }), () => topics.settings),
};
