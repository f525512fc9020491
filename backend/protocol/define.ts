import type { z } from 'zod';

/** A request: the schema of its params and of its result. */
export interface MethodSpec<P extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  params: P;
  result: R;
}

/**
 * An event: its data, and the topic it is published on (see topics.ts). A socket receives an
 * event only when it subscribed to its topic; `undefined` marks events sent to one connection
 * directly (the hello, a voice stream's own events).
 */
export interface EventSpec<S extends z.ZodType = z.ZodType> {
  data: S;
  topic(data: z.output<S>): string | undefined;
}

export function eventSpec<S extends z.ZodType>(data: S, topic: (data: z.output<S>) => string | undefined): EventSpec<S> {
  return { data, topic };
}

/** Sent only to the connection it concerns, never published on a topic. */
export const direct = (): undefined => undefined;
