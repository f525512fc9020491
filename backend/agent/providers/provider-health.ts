import type { HealthResult } from '../../platform/observability';
import type { SettingsRepository } from '../../store';
import type { ProviderRepository } from './provider-repository';
import { testProvider } from './test-provider';

/**
 * Each provider's health (Diagnostics, /healthz as `llm:<id>`): a provider a channel or the
 * fallback list uses is checked by listing its models (no tokens spent), and fails with the
 * precise diagnosis (refused, DNS, TLS, 401...). One nobody uses is listed, not contacted: an
 * idle local server that is off is no trouble.
 */
export async function providerHealth(providers: ProviderRepository, settings: SettingsRepository): Promise<Record<string, HealthResult>> {
  const chosen = await settings.getAll();
  const used = new Set([chosen['agent.console.model'], chosen['agent.whatsapp.model'], ...chosen['agent.fallbacks']].flatMap((ref) => (ref ? [ref.providerId] : [])));
  const entries = await Promise.all(
    (await providers.list()).map(async (provider): Promise<[string, HealthResult]> => {
      if (!used.has(provider.id)) return [provider.id, { ready: true, detail: `${provider.name}: not chosen for any channel, not checked` }];
      const diagnosis = await testProvider({ ...provider, defaultModel: '' }, await providers.apiKey(provider.id), undefined);
      // The diagnosis names the provider and its address already.
      const detail = diagnosis.ok ? diagnosis.message : `${diagnosis.message}${diagnosis.hint ? ` ${diagnosis.hint}` : ''}`;
      return [provider.id, { ready: diagnosis.ok, detail }];
    }),
  );
  return Object.fromEntries(entries);
}
