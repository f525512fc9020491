import type OpenAI from 'openai';
import { loadOpenAiSdk } from '../../platform/openai-compat';
import type { Provider } from '#protocol';

/** Clients kept for reuse: one per provider setup in use, a few more for setups being tried. */
const KEPT_CLIENTS = 32;
const clients = new Map<string, OpenAI>();

/**
 * Every provider is reached through the official SDK. Local servers ignore the key, but the SDK
 * insists on one, so a placeholder stands in. A client is made once per provider setup and reused,
 * as the SDK intends: building one per turn cost a WhatsApp turn a noticeable share of its CPU.
 */
export async function createProviderClient(provider: Provider, apiKey: string | undefined): Promise<OpenAI> {
  const { default: OpenAI } = await loadOpenAiSdk();
  const options = {
    baseURL: provider.baseUrl,
    apiKey: apiKey || 'no-key',
    timeout: provider.timeoutMs,
    maxRetries: provider.maxRetries,
    defaultHeaders: provider.extraHeaders,
  };
  const key = JSON.stringify(options);
  let client = clients.get(key);
  if (client) {
    // Most recently used last, so the oldest goes first.
    clients.delete(key);
  } else {
    client = new OpenAI(options);
    if (clients.size >= KEPT_CLIENTS) clients.delete(clients.keys().next().value!);
  }
  clients.set(key, client);
  return client;
}
