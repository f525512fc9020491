import { z } from 'zod';
import { eventSpec, type MethodSpec } from './define';
import { wireErrorSchema } from './errors';
import { topics } from './topics';

/**
 * Where a turn comes from; tools and models are chosen per channel. 'replay' is Diagnostics
 * replaying recorded conversations against another model or prompt: nothing is stored.
 */
export const channelSchema = z.enum(['console', 'whatsapp', 'api', 'replay']);
export type Channel = z.infer<typeof channelSchema>;

export const providerKindSchema = z.enum(['openai', 'openrouter', 'gemini', 'groq', 'ollama', 'lmstudio', 'custom']);
export type ProviderKind = z.infer<typeof providerKindSchema>;

/** A provider as the console edits it. The API key is a secret: written through `providers.save`, never read back. */
export const providerSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'lowercase letters, digits and - only'),
  kind: providerKindSchema,
  name: z.string().min(1).max(80),
  baseUrl: z.url({ protocol: /^https?$/ }),
  defaultModel: z.string().max(200).default(''),
  /** Per request; a stream that stays silent this long is abandoned. */
  timeoutMs: z.number().int().min(1000).max(600_000).default(60_000),
  /** Retries of 429/5xx inside this provider before the fallback list moves on. */
  maxRetries: z.number().int().min(0).max(5).default(1),
  extraHeaders: z.record(z.string(), z.string()).default({}),
  hasApiKey: z.boolean().default(false),
});
export type Provider = z.infer<typeof providerSchema>;

export const providerInputSchema = providerSchema.omit({ hasApiKey: true }).extend({
  /** undefined keeps the stored key, '' removes it. */
  apiKey: z.string().max(4096).optional(),
});
export type ProviderInput = z.input<typeof providerInputSchema>;

/** A model on a provider, as chosen for a channel or the fallback list. */
export const modelRefSchema = z.object({
  providerId: z.string(),
  model: z.string().min(1).max(200),
});
export type ModelRef = z.infer<typeof modelRefSchema>;

export const providerDiagnosisSchema = z.object({
  ok: z.boolean(),
  /** connection_refused, dns, tls, unauthorized, unknown_model, timeout, rate_limited, server_error, bad_response */
  problem: z.string().optional(),
  message: z.string(),
  hint: z.string().optional(),
  latencyMs: z.number().optional(),
  models: z.array(z.string()).optional(),
});
export type ProviderDiagnosis = z.infer<typeof providerDiagnosisSchema>;

export const toolCallSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** The raw JSON text the model produced (may be invalid JSON: the tool result says so). */
  arguments: z.string(),
});
export type ToolCall = z.infer<typeof toolCallSchema>;

export const toolResultSchema = z.object({
  callId: z.string(),
  name: z.string(),
  ok: z.boolean(),
  /** JSON text given back to the model. */
  content: z.string(),
  ms: z.number(),
});
export type ToolResult = z.infer<typeof toolResultSchema>;

export const answerMetaSchema = z.object({
  providerId: z.string(),
  model: z.string(),
  /** Models tried before this one answered, with why they failed. */
  fallbacks: z.array(z.object({ providerId: z.string(), model: z.string(), error: z.string() })).default([]),
  promptTokens: z.number().optional(),
  completionTokens: z.number().optional(),
  timeToFirstTokenMs: z.number().optional(),
  totalMs: z.number(),
  /** Tools whose data the answer is built on, and those that failed or found nothing. */
  sources: z.array(z.string()).default([]),
  toolFailures: z.array(z.string()).default([]),
});
export type AnswerMeta = z.infer<typeof answerMetaSchema>;

export const messageSchema = z.object({
  id: z.string(),
  conversationId: z.string(),
  role: z.enum(['system', 'user', 'assistant', 'tool']),
  content: z.string(),
  toolCalls: z.array(toolCallSchema).default([]),
  toolResult: toolResultSchema.optional(),
  meta: answerMetaSchema.optional(),
  status: z.enum(['complete', 'cancelled', 'failed']),
  createdAt: z.string(),
});
export type Message = z.infer<typeof messageSchema>;

export const conversationSchema = z.object({
  id: z.string(),
  title: z.string(),
  channel: channelSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
  messageCount: z.number(),
});
export type Conversation = z.infer<typeof conversationSchema>;

export const agentMethods = {
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
   * Runs one agent turn on the console channel. Progress arrives as agent.turn.* events on the
   * topic `conversation:<id>`; the response is the final answer. Cancelling the request stops the turn.
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
  /** The tools the agent can call now, with the channels allowed to call each. */
  'agent.tools.list': {
    params: z.object({}),
    result: z.object({ tools: z.array(z.object({ name: z.string(), description: z.string(), channels: z.array(channelSchema) })) }),
  },
} as const satisfies Record<string, MethodSpec>;

const ofConversation = (data: { conversationId: string }) => topics.conversation(data.conversationId);

export const agentEvents = {
  /** The user's message is stored; the model is about to be asked. */
  'agent.turn.started': eventSpec(z.object({ turnId: z.string(), conversationId: z.string(), userMessage: messageSchema }), ofConversation),
  /** A model was chosen (again, after a fallback): text streamed so far is void. */
  'agent.turn.model': eventSpec(
    z.object({ turnId: z.string(), conversationId: z.string(), providerId: z.string(), model: z.string(), fallbackFrom: z.string().optional() }),
    ofConversation,
  ),
  /** Text appended to the answer in progress (batched to at most one event per animation frame). */
  'agent.turn.delta': eventSpec(z.object({ turnId: z.string(), conversationId: z.string(), text: z.string() }), ofConversation),
  'agent.turn.toolCall': eventSpec(z.object({ turnId: z.string(), conversationId: z.string(), call: toolCallSchema }), ofConversation),
  'agent.turn.toolResult': eventSpec(z.object({ turnId: z.string(), conversationId: z.string(), result: toolResultSchema }), ofConversation),
  'agent.turn.finished': eventSpec(
    z.object({ turnId: z.string(), conversationId: z.string(), message: messageSchema, meta: answerMetaSchema }),
    ofConversation,
  ),
  'agent.turn.failed': eventSpec(z.object({ turnId: z.string(), conversationId: z.string(), error: wireErrorSchema }), ofConversation),
  'conversations.changed': eventSpec(z.object({ conversationId: z.string() }), () => topics.conversations),
};

export const agentSettings = {
  /** The chat model per channel; null until the user picks one. */
  'agent.console.model': modelRefSchema.nullable().default(null),
  'agent.whatsapp.model': modelRefSchema.nullable().default(null),
  /** Tried in order when the channel's model fails (5xx, timeout, refused, 429 after retries). */
  'agent.fallbacks': z.array(modelRefSchema).max(10).default([]),
  'agent.console.systemPrompt': z.string().max(20_000).default(''),
  'agent.whatsapp.systemPrompt': z.string().max(20_000).default(''),
  /** Tokens of context a turn may use (prompt + history + tool results), per model. Key: "providerId/model". */
  'agent.contextBudgets': z.record(z.string(), z.number().int().min(512).max(2_000_000)).default({}),
  /** Model round trips a turn may take (each tool round is one). */
  'agent.maxSteps': z.number().int().min(1).max(50).default(8),
};
