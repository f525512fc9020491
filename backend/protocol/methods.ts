import { z } from 'zod';
import {
  channelSchema,
  conversationSchema,
  messageSchema,
  providerDiagnosisSchema,
  providerInputSchema,
  providerSchema,
} from './agent';
import { healthReportSchema } from './health';
import { modelDownloadProgressSchema, speechModelKindSchema, speechModelSchema, voiceModeSchema } from './voice';
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
  'providers.list': {
    params: z.object({}),
    result: z.object({ providers: z.array(providerSchema) }),
  },
  'providers.save': {
    params: providerInputSchema,
    result: z.object({ provider: providerSchema }),
  },
  'providers.delete': {
    params: z.object({ id: z.string() }),
    result: z.object({ deleted: z.boolean() }),
  },
  /** Lists the provider's models live from its /models endpoint. */
  'providers.models': {
    params: z.object({ id: z.string() }),
    result: z.object({ models: z.array(z.string()) }),
  },
  /** Connects, lists models and, when a model is given, asks it for one token: a precise diagnosis. */
  'providers.test': {
    params: z.object({ id: z.string(), model: z.string().optional() }),
    result: providerDiagnosisSchema,
  },
  /** Probes Ollama (:11434) and LM Studio (:1234) on this machine. */
  'providers.detectLocal': {
    params: z.object({}),
    result: z.object({
      found: z.array(z.object({ kind: z.enum(['ollama', 'lmstudio']), baseUrl: z.string(), models: z.array(z.string()) })),
    }),
  },
  'conversations.list': {
    params: z.object({ search: z.string().max(200).optional(), channel: channelSchema.optional() }),
    result: z.object({ conversations: z.array(conversationSchema) }),
  },
  'conversations.create': {
    params: z.object({ title: z.string().max(200).optional() }),
    result: z.object({ conversation: conversationSchema }),
  },
  'conversations.rename': {
    params: z.object({ id: z.string(), title: z.string().min(1).max(200) }),
    result: z.object({ conversation: conversationSchema }),
  },
  'conversations.delete': {
    params: z.object({ id: z.string() }),
    result: z.object({ deleted: z.boolean() }),
  },
  'conversations.messages': {
    params: z.object({ id: z.string() }),
    result: z.object({ conversation: conversationSchema, messages: z.array(messageSchema) }),
  },
  /**
   * Runs one agent turn on the console channel. Progress arrives as agent.turn.* events; the
   * response is the final answer. Cancelling the request stops the turn (the stop button).
   */
  'agent.send': {
    params: z.object({ conversationId: z.string(), text: z.string().min(1).max(100_000), turnId: z.string().min(1).max(64) }),
    result: z.object({ message: messageSchema }),
  },
  /** Drops the last answer of the conversation and runs its user message again. */
  'agent.regenerate': {
    params: z.object({ conversationId: z.string(), turnId: z.string().min(1).max(64) }),
    result: z.object({ message: messageSchema }),
  },
  /**
   * Opens a capture stream on this socket: binary capturePcm frames with the returned stream id
   * follow while the user speaks. Hands-free lets voice activity decide where utterances end.
   */
  'voice.start': {
    params: z.object({ conversationId: z.string(), mode: voiceModeSchema }),
    result: z.object({ streamId: z.number().int() }),
  },
  'voice.stop': {
    params: z.object({ streamId: z.number().int() }),
    result: z.object({}),
  },
  /** Push-to-talk: pressed opens an utterance, released ends it (end of speech). */
  'voice.pushToTalk': {
    params: z.object({ streamId: z.number().int(), pressed: z.boolean() }),
    result: z.object({}),
  },
  /** Stops playback and the running turn (the stop button, or the console's own barge-in). */
  'voice.interrupt': {
    params: z.object({ streamId: z.number().int() }),
    result: z.object({}),
  },
  /** Speaks a text with the configured voice (the Voice panel's preview); WAV as base64. */
  'speech.synthesize': {
    params: z.object({ text: z.string().min(1).max(2000) }),
    result: z.object({ wavBase64: z.string(), sampleRate: z.number(), ms: z.number() }),
  },
  'speech.models.list': {
    params: z.object({}),
    result: z.object({ models: z.array(speechModelSchema), downloads: z.array(modelDownloadProgressSchema) }),
  },
  'speech.models.download': {
    params: z.object({ id: z.string() }),
    result: z.object({ started: z.boolean() }),
  },
  'speech.models.cancel': {
    params: z.object({ id: z.string() }),
    result: z.object({ cancelled: z.boolean() }),
  },
  'speech.models.delete': {
    params: z.object({ id: z.string() }),
    result: z.object({ deleted: z.boolean() }),
  },
  'speech.models.registerCustom': {
    params: z.object({ kind: speechModelKindSchema, path: z.string().min(1).max(4096) }),
    result: z.object({ model: speechModelSchema }),
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
