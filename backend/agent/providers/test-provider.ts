import type OpenAI from 'openai';
import type { Provider, ProviderDiagnosis } from '#protocol';
import { createProviderClient } from './provider-client';
import { diagnoseProviderError } from './diagnose-provider-error';

/** Lists the models, then (when a model is named) asks it for a single token. */
export async function testProvider(provider: Provider, apiKey: string | undefined, model: string | undefined): Promise<ProviderDiagnosis> {
  const client = await createProviderClient({ ...provider, maxRetries: 0, timeoutMs: Math.min(provider.timeoutMs, 15_000) }, apiKey);
  const started = performance.now();
  let models: string[] | undefined;
  try {
    models = await listModelIds(client);
  } catch (error) {
    // Some endpoints do not list models; a completion still tells whether the rest works.
    const diagnosis = diagnoseProviderError(error, provider, model);
    if (!model || diagnosis.problem !== 'unknown_model') return { ok: false, problem: diagnosis.problem, message: diagnosis.message, hint: diagnosis.hint };
  }
  const chosen = model || provider.defaultModel;
  if (!chosen) {
    return { ok: true, message: `Connected to ${provider.name}: ${models?.length ?? 0} models listed`, latencyMs: Math.round(performance.now() - started), models };
  }
  try {
    await client.chat.completions.create({ model: chosen, messages: [{ role: 'user', content: 'Reply with OK.' }], max_tokens: 1 });
    return { ok: true, message: `${provider.name} answered with ${chosen}`, latencyMs: Math.round(performance.now() - started), models };
  } catch (error) {
    const diagnosis = diagnoseProviderError(error, provider, chosen);
    return { ok: false, problem: diagnosis.problem, message: diagnosis.message, hint: diagnosis.hint, models };
  }
}

export async function listModelIds(client: OpenAI): Promise<string[]> {
  const ids: string[] = [];
  for await (const model of client.models.list()) ids.push(model.id);
  return ids.sort();
}
