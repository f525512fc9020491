import type { ProviderKind } from '#protocol';

export interface ProviderPreset {
  kind: ProviderKind;
  name: string;
  baseUrl: string;
  needsKey: boolean;
}

/** The OpenAI-compatible endpoints Parley knows; "Custom" takes any base URL. */
export const providerPresets: readonly ProviderPreset[] = [
  { kind: 'openai', name: 'OpenAI', baseUrl: 'https://api.openai.com/v1', needsKey: true },
  { kind: 'openrouter', name: 'OpenRouter', baseUrl: 'https://openrouter.ai/api/v1', needsKey: true },
  { kind: 'gemini', name: 'Google Gemini', baseUrl: 'https://generativelanguage.googleapis.com/v1beta/openai', needsKey: true },
  { kind: 'groq', name: 'Groq', baseUrl: 'https://api.groq.com/openai/v1', needsKey: true },
  { kind: 'ollama', name: 'Ollama', baseUrl: 'http://127.0.0.1:11434/v1', needsKey: false },
  { kind: 'lmstudio', name: 'LM Studio', baseUrl: 'http://127.0.0.1:1234/v1', needsKey: false },
  { kind: 'custom', name: 'Custom', baseUrl: '', needsKey: false },
];

export function presetFor(kind: ProviderKind): ProviderPreset {
  return providerPresets.find((preset) => preset.kind === kind) ?? providerPresets[providerPresets.length - 1]!;
}
