import { ParleyError, type ModelRef, type Settings } from '#protocol';
import type { ModelCandidate } from './loop/run-agent-turn';
import type { ProviderRepository } from './providers/provider-repository';

export const DEFAULT_CONTEXT_BUDGET = 8192;

export function contextBudgetKey(ref: ModelRef): string {
  return `${ref.providerId}/${ref.model}`;
}

/** The channel's model, then the fallback list, each once, resolved to providers and keys. */
export async function resolveModelCandidates(
  channelLabel: string,
  primary: ModelRef | null,
  settings: Settings,
  providers: ProviderRepository,
): Promise<ModelCandidate[]> {
  if (!primary) {
    throw new ParleyError('unavailable', `No chat model is chosen for the ${channelLabel} channel`, {
      hint: 'Pick one in the Models panel.',
    });
  }
  const refs = [primary, ...settings['agent.fallbacks']].filter(
    (ref, index, all) => all.findIndex((other) => contextBudgetKey(other) === contextBudgetKey(ref)) === index,
  );
  const candidates: ModelCandidate[] = [];
  for (const ref of refs) {
    const provider = await providers.get(ref.providerId).catch(() => undefined);
    if (!provider) continue;
    candidates.push({
      provider,
      apiKey: await providers.apiKey(provider.id),
      model: ref.model,
      contextBudget: settings['agent.contextBudgets'][contextBudgetKey(ref)] ?? DEFAULT_CONTEXT_BUDGET,
    });
  }
  if (candidates.length === 0) {
    throw new ParleyError('unavailable', `The chosen model's provider "${primary.providerId}" no longer exists`, { hint: 'Pick another model in the Models panel.' });
  }
  return candidates;
}
