import { z } from 'zod';
import { answerMetaSchema, messageSchema, toolCallSchema, toolResultSchema } from './agent';
import { wireErrorSchema } from './errors';
import { settingKeySchema } from './settings';
import { modelDownloadProgressSchema, voiceLatencySchema, voiceStateSchema } from './voice';

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
  /** The user's message is stored; the model is about to be asked. */
  'agent.turn.started': z.object({ turnId: z.string(), conversationId: z.string(), userMessage: messageSchema }),
  /** A model was chosen (again, after a fallback): text streamed so far is void. */
  'agent.turn.model': z.object({ turnId: z.string(), providerId: z.string(), model: z.string(), fallbackFrom: z.string().optional() }),
  /** Text appended to the answer in progress (batched to at most one event per animation frame). */
  'agent.turn.delta': z.object({ turnId: z.string(), text: z.string() }),
  'agent.turn.toolCall': z.object({ turnId: z.string(), call: toolCallSchema }),
  'agent.turn.toolResult': z.object({ turnId: z.string(), result: toolResultSchema }),
  'agent.turn.finished': z.object({ turnId: z.string(), message: messageSchema, meta: answerMetaSchema }),
  'agent.turn.failed': z.object({ turnId: z.string(), conversationId: z.string(), error: wireErrorSchema }),
  'conversations.changed': z.object({ conversationId: z.string() }),
  'voice.state': z.object({ streamId: z.number(), state: voiceStateSchema }),
  /** Voice activity as the backend's VAD hears it. */
  'voice.activity': z.object({ streamId: z.number(), speaking: z.boolean() }),
  'voice.transcript': z.object({ streamId: z.number(), utteranceId: z.string(), text: z.string(), final: z.boolean() }),
  /** Playback of the answer: start announces the rate of the playbackPcm frames that follow; stop means drop what is queued now. */
  'voice.playback': z.discriminatedUnion('action', [
    z.object({ streamId: z.number(), action: z.literal('start'), sampleRate: z.number() }),
    z.object({ streamId: z.number(), action: z.literal('stop'), reason: z.enum(['barge-in', 'interrupted', 'finished']) }),
  ]),
  'voice.turn': z.object({ streamId: z.number(), utteranceId: z.string(), turnId: z.string(), latency: voiceLatencySchema }),
  'voice.error': z.object({ streamId: z.number(), error: wireErrorSchema }),
  'speech.models.progress': modelDownloadProgressSchema,
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventData<E extends EventName> = z.output<Events[E]>;

export function isEventName(name: string): name is EventName {
  return Object.hasOwn(events, name);
}
