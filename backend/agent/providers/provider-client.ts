import type OpenAI from 'openai';
import { loadOpenAiSdk } from '../../platform/openai-compat';
import type { Provider } from '#protocol';

/**
 * Every provider is reached through the official SDK. Local servers ignore the key, but the SDK
 * insists on one, so a placeholder stands in.
 */
export async function createProviderClient(provider: Provider, apiKey: string | undefined): Promise<OpenAI> {
  const { default: OpenAI } = await loadOpenAiSdk();
  return new OpenAI({
    baseURL: provider.baseUrl,
    apiKey: apiKey || 'no-key',
    timeout: provider.timeoutMs,
    maxRetries: provider.maxRetries,
    defaultHeaders: provider.extraHeaders,
  });
}
