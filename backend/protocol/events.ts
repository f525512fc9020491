import { z } from 'zod';
import { settingKeySchema } from './settings';

/** Everything the backend pushes without being asked. */
export const events = {
  /** First frame on every authenticated socket. */
  'system.hello': z.object({
    connectionId: z.string(),
    version: z.string(),
    mode: z.enum(['desktop', 'server']),
    protocolVersion: z.number(),
  }),
  'settings.changed': z.object({ key: settingKeySchema, value: z.unknown() }),
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventData<E extends EventName> = z.output<Events[E]>;

export function isEventName(name: string): name is EventName {
  return Object.hasOwn(events, name);
}
