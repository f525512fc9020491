import { ParleyError, type ModelRef } from '#protocol';
import { loadOpenAiSdk } from '../../platform/openai-compat';

/** A provider's address and key, as the composition root resolves it from the Models panel's providers. */
export interface ProviderAccess {
  baseUrl: string;
  apiKey: string | undefined;
  headers: Record<string, string>;
}
export type ResolveProvider = (providerId: string) => Promise<ProviderAccess>;

/** Turns texts into unit vectors with one embedding model. */
export interface Embedder {
  /** `<providerId>/<model>`: what stored vectors are kept under, so a changed model never mixes with old vectors. */
  readonly key: string;
  embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]>;
}

/**
 * The configured provider's `/embeddings`, through the official `openai` client as the agent's
 * chat is. Vectors come back normalised to unit length, so ranking is a dot product.
 */
export async function createEmbedder(ref: ModelRef, resolveProvider: ResolveProvider): Promise<Embedder> {
  const provider = await resolveProvider(ref.providerId);
  const { default: OpenAI } = await loadOpenAiSdk();
  const client = new OpenAI({ baseURL: provider.baseUrl, apiKey: provider.apiKey || 'no-key', defaultHeaders: provider.headers, timeout: 30_000, maxRetries: 1 });
  return {
    key: `${ref.providerId}/${ref.model}`,
    async embed(texts, signal) {
      if (texts.length === 0) return [];
      let response;
      try {
        response = await client.embeddings.create({ model: ref.model, input: [...texts], encoding_format: 'float' }, { signal });
      } catch (error) {
        if (signal?.aborted) throw error;
        throw new ParleyError('unavailable', `The embeddings of ${ref.providerId}/${ref.model} failed: ${error instanceof Error ? error.message : String(error)}`, {
          hint: 'Check documents.embeddings.model (an embedding model of that provider), or turn hybrid search off.',
          cause: error,
        });
      }
      const vectors = [...response.data].sort((a, b) => a.index - b.index).map((item) => normalise(Float32Array.from(item.embedding)));
      if (vectors.length !== texts.length) throw new ParleyError('unavailable', `${ref.providerId}/${ref.model} returned ${vectors.length} embeddings for ${texts.length} texts`);
      return vectors;
    },
  };
}

export function normalise(vector: Float32Array): Float32Array {
  let norm = 0;
  for (const value of vector) norm += value * value;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i] = vector[i]! / norm;
  return vector;
}
