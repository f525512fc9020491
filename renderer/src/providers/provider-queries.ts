import { controlClient } from '../connection';
import { providerModelsQuery, providersQuery, useBackendQuery } from '../server-state';

/** The saved providers (the key itself never comes back, only whether one is stored). */
export function useProviders() {
  return useBackendQuery(providersQuery(controlClient));
}

/** The provider's models, listed live; `enabled: false` waits (e.g. until a provider is chosen). */
export function useProviderModels(providerId: string | null | undefined, { enabled = true } = {}) {
  return useBackendQuery({ ...providerModelsQuery(controlClient, providerId ?? ''), enabled: enabled && !!providerId });
}
