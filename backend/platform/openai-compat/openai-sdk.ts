import type * as OpenAiModule from 'openai';

export type OpenAiSdk = typeof OpenAiModule;

let loaded: OpenAiSdk | undefined;
let loading: Promise<OpenAiSdk> | undefined;

/**
 * The `openai` SDK, imported on first use: it takes about a third of the backend's cold start,
 * and nothing needs it before the first turn (capabilities warm it once the listeners are open).
 */
export function loadOpenAiSdk(): Promise<OpenAiSdk> {
  return (loading ??= import('openai').then((sdk) => (loaded = sdk)));
}

/**
 * The SDK if it is loaded. An error thrown by the SDK exists only once it is, so error
 * classification (`instanceof OpenAI.APIError`) can stay synchronous.
 */
export function loadedOpenAiSdk(): OpenAiSdk | undefined {
  return loaded;
}
