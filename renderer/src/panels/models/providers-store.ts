import { create } from 'zustand';
import type { Provider, ProviderDiagnosis, ProviderInput, ProviderKind, ResultOf } from '#protocol';
import { controlClient } from '../../connection';
import { reportError } from '../../errors';

export type LocalServer = ResultOf<'providers.detectLocal'>['found'][number];

export type ProviderSelection = { kind: 'existing'; id: string } | { kind: 'new'; preset: ProviderKind } | null;

export interface ModelListing {
  models: string[];
  loading: boolean;
  /** Why listing failed; the model id can still be typed in. */
  error?: string;
}

export interface TestOutcome {
  running: boolean;
  model?: string;
  diagnosis?: ProviderDiagnosis;
}

interface ProvidersState {
  providers: Provider[];
  loaded: boolean;
  selection: ProviderSelection;
  listings: Record<string, ModelListing>;
  tests: Record<string, TestOutcome>;
  detecting: boolean;
  /** null until "Detect local servers" ran. */
  detected: LocalServer[] | null;
}

const SOURCE = 'Models';

export const useProvidersStore = create<ProvidersState>(() => ({
  providers: [],
  loaded: false,
  selection: null,
  listings: {},
  tests: {},
  detecting: false,
  detected: null,
}));

export async function loadProviders(): Promise<void> {
  try {
    const { providers } = await controlClient.request('providers.list', {});
    useProvidersStore.setState((state) => {
      const selection = state.selection;
      const stillThere = selection?.kind !== 'existing' || providers.some((p) => p.id === selection.id);
      const fallback: ProviderSelection = providers[0] ? { kind: 'existing', id: providers[0].id } : null;
      return { providers, loaded: true, selection: selection && stillThere ? selection : fallback };
    });
  } catch (error) {
    reportError(SOURCE, error);
  }
}

export function selectProvider(selection: ProviderSelection): void {
  useProvidersStore.setState({ selection });
}

export async function saveProvider(input: ProviderInput): Promise<Provider | null> {
  try {
    const { provider } = await controlClient.request('providers.save', input);
    useProvidersStore.setState((state) => {
      const exists = state.providers.some((p) => p.id === provider.id);
      const { [provider.id]: _staleTest, ...tests } = state.tests;
      const { [provider.id]: _staleListing, ...listings } = state.listings;
      return {
        providers: exists ? state.providers.map((p) => (p.id === provider.id ? provider : p)) : [...state.providers, provider],
        selection: { kind: 'existing', id: provider.id },
        // A changed URL, key or header makes the last test and listing meaningless.
        tests,
        listings,
      };
    });
    return provider;
  } catch (error) {
    reportError(SOURCE, error);
    return null;
  }
}

export async function deleteProvider(id: string): Promise<void> {
  try {
    await controlClient.request('providers.delete', { id });
    useProvidersStore.setState((state) => {
      const providers = state.providers.filter((p) => p.id !== id);
      return { providers, selection: providers[0] ? { kind: 'existing', id: providers[0].id } : null };
    });
  } catch (error) {
    reportError(SOURCE, error);
  }
}

/** Lists the provider's models live; a failure is reported once and kept so pickers do not ask again. */
export async function loadModels(id: string, { force = false } = {}): Promise<void> {
  const current = useProvidersStore.getState().listings[id];
  if (current && (current.loading || !force)) return;
  setListing(id, { models: current?.models ?? [], loading: true });
  try {
    const { models } = await controlClient.request('providers.models', { id });
    setListing(id, { models: [...models].sort((a, b) => a.localeCompare(b)), loading: false });
  } catch (error) {
    setListing(id, { models: [], loading: false, error: error instanceof Error ? error.message : String(error) });
    reportError(SOURCE, error);
  }
}

export async function testProvider(id: string, model?: string): Promise<void> {
  setTest(id, { running: true, model });
  try {
    const diagnosis = await controlClient.request('providers.test', model ? { id, model } : { id }, { timeoutMs: 120_000 });
    setTest(id, { running: false, model, diagnosis });
    if (diagnosis.models) setListing(id, { models: [...diagnosis.models].sort((a, b) => a.localeCompare(b)), loading: false });
  } catch (error) {
    setTest(id, { running: false, model });
    reportError(SOURCE, error);
  }
}

export async function detectLocalServers(): Promise<void> {
  useProvidersStore.setState({ detecting: true });
  try {
    const { found } = await controlClient.request('providers.detectLocal', {});
    useProvidersStore.setState({ detected: found });
  } catch (error) {
    reportError(SOURCE, error);
  } finally {
    useProvidersStore.setState({ detecting: false });
  }
}

function setListing(id: string, listing: ModelListing): void {
  useProvidersStore.setState((state) => ({ listings: { ...state.listings, [id]: listing } }));
}

function setTest(id: string, outcome: TestOutcome): void {
  useProvidersStore.setState((state) => ({ tests: { ...state.tests, [id]: outcome } }));
}
