import { z } from 'zod';

/** Where a turn comes from; tools and models are chosen per channel. */
export const channelSchema = z.enum(['console', 'whatsapp', 'api']);
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
