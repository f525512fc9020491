/** OpenAI's wire shapes for Parley's OpenAI-compatible endpoints (chat, audio): errors and chunks. */
export { openAiErrorBody } from './error-body';
export { chatCompletion, chatCompletionChunk, chatUsageChunk, tokenUsage, type CompletionIdentity, type TokenUsage } from './chat-chunks';
