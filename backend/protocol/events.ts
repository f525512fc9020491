import type { z } from 'zod';
import { actionsEvents } from './actions';
import { confirmationsEvents } from './confirmations';
import { agentEvents } from './agent';
import type { EventSpec } from './define';
import { diagnosticsEvents } from './diagnostics';
import { documentsEvents } from './documents';
import { speechEvents } from './speech';
import { databasesEvents } from './databases';
import { systemEvents } from './system';
import { whatsappEvents } from './whatsapp';

/** Everything the backend pushes without being asked; a capability spreads its `<capability>Events` here. */
const eventSpecs = {
  ...systemEvents,
  ...diagnosticsEvents,
  ...agentEvents,
  ...speechEvents,
  ...confirmationsEvents,
  ...actionsEvents,
  ...whatsappEvents,
  ...databasesEvents,
  ...documentsEvents,
} as const;

type EventSpecs = typeof eventSpecs;
export type EventName = keyof EventSpecs;
export type Events = { [E in EventName]: EventSpecs[E]['data'] };
export type EventData<E extends EventName> = z.output<Events[E]>;

/** Each event's data schema. */
export const events = Object.fromEntries(Object.entries(eventSpecs).map(([name, spec]) => [name, spec.data])) as Events;

/** The topic an event is published on; undefined for events sent to one connection only. */
export function eventTopic<E extends EventName>(event: E, data: EventData<E>): string | undefined {
  return (eventSpecs[event] as EventSpec).topic(data);
}

export function isEventName(name: string): name is EventName {
  return Object.hasOwn(eventSpecs, name);
}
