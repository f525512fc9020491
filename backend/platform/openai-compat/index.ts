/** OpenAI's wire shapes for Parley's OpenAI-compatible endpoints (chat, audio): errors and chunks; the SDK, loaded on first use. */
export { openAiErrorBody } from './error-body';
export { chatCompletion, chatCompletionChunk, chatUsageChunk, tokenUsage, type CompletionIdentity, type TokenUsage } from './chat-chunks';
export { loadOpenAiSdk, loadedOpenAiSdk, type OpenAiSdk } from './openai-sdk';
