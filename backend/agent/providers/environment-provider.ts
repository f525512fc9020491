import type { ProviderRepository } from './provider-repository';

export const ENVIRONMENT_PROVIDER_ID = 'env';

/**
 * Server mode can be set up without the console: PARLEY_LLM_BASE_URL (+ _API_KEY, _MODEL) define a
 * provider "env", refreshed at every start, and choose it for the console when nothing else is.
 */
export async function applyEnvironmentProvider(
  env: NodeJS.ProcessEnv,
  providers: ProviderRepository,
  chooseIfUnset: (ref: { providerId: string; model: string }) => Promise<void>,
): Promise<boolean> {
  const baseUrl = env.PARLEY_LLM_BASE_URL;
  if (!baseUrl) return false;
  const model = env.PARLEY_LLM_MODEL ?? '';
  await providers.save({
    id: ENVIRONMENT_PROVIDER_ID,
    kind: 'custom',
    name: 'From environment',
    baseUrl,
    defaultModel: model,
    ...(env.PARLEY_LLM_API_KEY !== undefined ? { apiKey: env.PARLEY_LLM_API_KEY } : {}),
  });
  if (model) await chooseIfUnset({ providerId: ENVIRONMENT_PROVIDER_ID, model });
  return true;
}
