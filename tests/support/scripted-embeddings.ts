/**
 * Deterministic embeddings for the scripted OpenAI-compatible server: a hashed bag of character
 * trigrams of each word, unit length. Texts sharing words or word stems ("warranty" and
 * "warranties") are near; texts with nothing in common are nearly orthogonal. Enough to test
 * hybrid retrieval without a model.
 */
export const DEFAULT_EMBEDDING_DIMENSIONS = 256;

export function hashedEmbedding(text: string, dimensions = DEFAULT_EMBEDDING_DIMENSIONS): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const word of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    const padded = `#${word}#`;
    for (let i = 0; i + 3 <= padded.length; i++) {
      const hash = fnv1a(padded.slice(i, i + 3));
      vector[hash % dimensions]! += hash & 0x80000000 ? -1 : 1;
    }
  }
  const norm = Math.hypot(...vector) || 1;
  return vector.map((value) => value / norm);
}

/** The body of `POST /v1/embeddings` for these inputs, as OpenAI shapes it (floats, or base64 float32 when asked). */
export function embeddingsResponse(body: { model: string; input: string | string[]; dimensions?: number; encoding_format?: string }): unknown {
  const inputs = typeof body.input === 'string' ? [body.input] : body.input;
  const tokens = inputs.reduce((sum, input) => sum + Math.ceil(input.length / 4), 0);
  return {
    object: 'list',
    model: body.model,
    data: inputs.map((input, index) => {
      const vector = hashedEmbedding(input, body.dimensions);
      const embedding = body.encoding_format === 'base64' ? Buffer.from(Float32Array.from(vector).buffer).toString('base64') : vector;
      return { object: 'embedding', index, embedding };
    }),
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
