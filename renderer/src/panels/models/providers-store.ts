import { useMutation, useMutationState } from '@tanstack/react-query';
import { create } from 'zustand';
import type { Provider, ProviderDiagnosis, ProviderInput, ProviderKind, ResultOf } from '#protocol';
import { controlClient } from '../../connection';
import { reportError } from '../../errors';
import { useProviders } from '../../providers';
import { queryClient, queryKeys, sortModels } from '../../server-state';

export type LocalServer = ResultOf<'providers.detectLocal'>['found'][number];

export type ProviderSelection = { kind: 'existing'; id: string } | { kind: 'new'; preset: ProviderKind } | null;

const SOURCE = 'Models';

/** Which provider the editor shows: client state. The providers themselves are a query (useProviders). */
export const useProviderSelectionStore = create<{ selection: ProviderSelection }>(() => ({ selection: null }));

export function selectProvider(selection: ProviderSelection): void {
  useProviderSelectionStore.setState({ selection });
}

/** The chosen provider, or the first one when none is chosen or the chosen one is gone. */
export function effectiveSelection(selection: ProviderSelection, providers: readonly Provider[] | undefined): ProviderSelection {
  if (selection?.kind === 'new') return selection;
  if (selection && providers?.some((p) => p.id === selection.id)) return selection;
  return providers?.[0] ? { kind: 'existing', id: providers[0].id } : null;
}

export function useProviderSelection(): { selection: ProviderSelection; provider: Provider | undefined } {
  const providers = useProviders().data;
  const selection = effectiveSelection(useProviderSelectionStore((state) => state.selection), providers);
  return { selection, provider: selection?.kind === 'existing' ? providers?.find((p) => p.id === selection.id) : undefined };
}

export async function saveProvider(input: ProviderInput): Promise<Provider | null> {
  try {
    const { provider } = await controlClient.request('providers.save', input);
    queryClient.setQueryData<Provider[]>(queryKeys.providers, (providers = []) =>
      providers.some((p) => p.id === provider.id) ? providers.map((p) => (p.id === provider.id ? provider : p)) : [...providers, provider],
    );
    selectProvider({ kind: 'existing', id: provider.id });
    // A changed URL, key or header makes the last listing meaningless: list again (and the last test, see useProviderTest).
    void queryClient.resetQueries({ queryKey: queryKeys.providerModels(provider.id) });
    return provider;
  } catch (error) {
    reportError(SOURCE, error);
    return null;
  }
}

export async function deleteProvider(id: string): Promise<void> {
  try {
    await controlClient.request('providers.delete', { id });
    queryClient.setQueryData<Provider[]>(queryKeys.providers, (providers) => providers?.filter((p) => p.id !== id));
    queryClient.removeQueries({ queryKey: queryKeys.providerModels(id) });
    selectProvider(null);
  } catch (error) {
    reportError(SOURCE, error);
  }
}

/** Lists the provider's models again (the "Refresh list" button). */
export function refreshModels(id: string): Promise<void> {
  return queryClient.refetchQueries({ queryKey: queryKeys.providerModels(id) });
}

export interface TestOutcome {
  running: boolean;
  model?: string;
  diagnosis?: ProviderDiagnosis;
}

/** What the provider looked like when tested: a saved change of URL, key or headers voids the outcome. */
function providerFingerprint(provider: Provider): string {
  return JSON.stringify([provider.baseUrl, provider.hasApiKey, provider.extraHeaders, provider.kind, provider.timeoutMs]);
}

interface TestVariables {
  id: string;
  model?: string;
  fingerprint: string;
}

/**
 * "Test the connection". The outcome is the latest test mutation of this provider, so it is still
 * shown after switching providers and back, until the provider's connection settings change.
 */
export function useProviderTest(provider: Provider): { outcome: TestOutcome | undefined; run(model: string | undefined, tested?: Provider): Promise<void> } {
  const mutationKey = ['providers.test', provider.id];
  const mutation = useMutation({
    mutationKey,
    mutationFn: async ({ id, model }: TestVariables) => controlClient.request('providers.test', model ? { id, model } : { id }, { timeoutMs: 120_000 }),
    onSuccess: (diagnosis, { id }) => {
      if (diagnosis.models) queryClient.setQueryData(queryKeys.providerModels(id), sortModels(diagnosis.models));
    },
    meta: { source: SOURCE },
  });
  const latest = useMutationState({ filters: { mutationKey }, select: (m) => ({ state: m.state.status, variables: m.state.variables as TestVariables | undefined, data: m.state.data as ProviderDiagnosis | undefined }) }).at(-1);
  const current = latest?.variables?.fingerprint === providerFingerprint(provider) ? latest : undefined;
  const outcome = current && { running: current.state === 'pending', model: current.variables?.model, diagnosis: current.data };
  return {
    outcome,
    run: async (model, tested = provider) => {
      await mutation.mutateAsync({ id: tested.id, model, fingerprint: providerFingerprint(tested) }).catch(() => undefined);
    },
  };
}

const DETECT_KEY = ['providers.detectLocal'];

/** "Detect local servers": the latest result stays while the console runs. */
export function useLocalServerDetection(): { detecting: boolean; detected: LocalServer[] | null; detect(): void } {
  const mutation = useMutation({
    mutationKey: DETECT_KEY,
    mutationFn: async () => (await controlClient.request('providers.detectLocal', {})).found,
    meta: { source: SOURCE },
  });
  const latest = useMutationState({ filters: { mutationKey: DETECT_KEY }, select: (m) => ({ pending: m.state.status === 'pending', found: m.state.data as LocalServer[] | undefined }) });
  const detected = latest.findLast((entry) => entry.found)?.found ?? null;
  return { detecting: latest.some((entry) => entry.pending), detected, detect: () => mutation.mutate() };
}
