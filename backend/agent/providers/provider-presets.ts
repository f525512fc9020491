import type { ProviderKind } from '#protocol';

/** Base URLs of the OpenAI-compatible endpoints Parley knows; "custom" takes any. */
export const providerPresets: Record<Exclude<ProviderKind, 'custom'>, { name: string; baseUrl: string; needsKey: boolean }> = {
  openai: { name: 'OpenAI', baseUrl: 'https://api.openai.com/v1', needsKey: true },
  openrouter: { name: 'OpenRouter', baseUrl: 'https://openrouter.ai/api/v1', needsKey: true },
  gemini: { name: 'Google Gemini', baseUrl: 'https://generativelanguage.googleapis.com/v1beta/openai', needsKey: true },
  groq: { name: 'Groq', baseUrl: 'https://api.groq.com/openai/v1', needsKey: true },
  ollama: { name: 'Ollama', baseUrl: 'http://127.0.0.1:11434/v1', needsKey: false },
  lmstudio: { name: 'LM Studio', baseUrl: 'http://127.0.0.1:1234/v1', needsKey: false },
};
