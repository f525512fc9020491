import type { Knex } from 'knex';
import type { Logger } from '../../platform/observability';
import type { Embedder } from '../embeddings/embedding-client';
import type { EmbeddingStore } from '../embeddings/embedding-store';
import type { PassageHit, PassageIndex, PassageInput, SearchOptions } from './passage-index';
import { fuseByReciprocalRank } from './reciprocal-rank-fusion';

/**
 * Below this cosine a passage is not "about" the query: without a floor, the nearest vectors of
 * a question the documents do not cover would still come back, and the agent would quote them.
 */
export const MIN_SIMILARITY = 0.3;
/** Candidates each ranking contributes to the fusion, per passage asked for. */
const CANDIDATES_PER_RESULT = 4;

export interface HybridDependencies {
  knex: Knex;
  bm25: PassageIndex;
  vectors: EmbeddingStore;
  /** The embedder when hybrid search is on and configured; undefined for BM25 alone. */
  embedder(): Promise<Embedder | undefined>;
  logger: Logger;
}

/**
 * BM25 and, when embeddings are on, the passages nearest the query's vector, fused by reciprocal
 * rank. A paraphrase BM25 misses (other words for the same thing) is found by its vector; an exact
 * term (a model number) still ranks by BM25. If the query cannot be embedded (the provider is
 * down), search answers from BM25 alone and says so in the log.
 */
export class HybridPassageIndex implements PassageIndex {
  constructor(private readonly deps: HybridDependencies) {}

  add(documentId: string, passages: readonly PassageInput[]): Promise<void> {
    return this.deps.bm25.add(documentId, passages);
  }

  async removeDocument(documentId: string): Promise<void> {
    await this.deps.bm25.removeDocument(documentId);
    await this.deps.vectors.forgetDocument(documentId);
  }

  async search(query: string, limit: number, options: SearchOptions = {}): Promise<PassageHit[]> {
    const embedder = await this.deps.embedder().catch((error: unknown) => {
      this.deps.logger.warn({ err: error }, 'Hybrid search is on but its embedding model is not usable; answering from BM25 alone');
      return undefined;
    });
    if (!embedder) return this.deps.bm25.search(query, limit, options);
    const candidates = limit * CANDIDATES_PER_RESULT;
    const allowed = await this.allowedDocuments(options);
    const [lexical, semantic] = await Promise.all([this.deps.bm25.search(query, candidates, options), this.nearest(embedder, query, candidates, allowed)]);
    if (semantic.length === 0) return lexical.slice(0, limit);
    const byId = new Map(lexical.map((hit) => [hit.passageId, hit]));
    const fused = fuseByReciprocalRank([lexical.map((hit) => hit.passageId), semantic]).slice(0, limit);
    const missing = fused.map(({ key }) => key).filter((id) => !byId.has(id));
    for (const hit of await this.passages(missing, allowed)) byId.set(hit.passageId, hit);
    return fused.flatMap(({ key, score }) => {
      const hit = byId.get(key);
      return hit ? [{ ...hit, score: Math.round(score * 10_000) / 10_000 }] : [];
    });
  }

  /** Passage ids by cosine to the query, best first, within the documents the options allow. */
  private async nearest(embedder: Embedder, query: string, count: number, allowed: ReadonlySet<string>): Promise<number[]> {
    let queryVector: Float32Array;
    try {
      [queryVector] = (await embedder.embed([query])) as [Float32Array];
    } catch (error) {
      this.deps.logger.warn({ err: error, model: embedder.key }, 'The search query could not be embedded; answering from BM25 alone');
      return [];
    }
    const dimensions = queryVector.length;
    const best: Array<{ passageId: number; similarity: number }> = [];
    for (const stored of await this.deps.vectors.vectors(embedder.key)) {
      if (stored.vector.length !== dimensions || !allowed.has(stored.documentId)) continue;
      const vector = stored.vector;
      let similarity = 0;
      for (let i = 0; i < dimensions; i++) similarity += queryVector[i]! * vector[i]!;
      if (similarity < MIN_SIMILARITY || (best.length === count && similarity <= best[count - 1]!.similarity)) continue;
      // Kept sorted by insertion: the list is short (a few dozen), the passages many.
      let at = best.length;
      while (at > 0 && best[at - 1]!.similarity < similarity) at--;
      best.splice(at, 0, { passageId: stored.passageId, similarity });
      if (best.length > count) best.pop();
    }
    return best.map((entry) => entry.passageId);
  }

  private async allowedDocuments(options: SearchOptions): Promise<Set<string>> {
    const query = this.deps.knex('documents').where({ status: 'ready' });
    if (options.whatsappOnly) query.where({ whatsapp_access: true });
    if (options.tag) query.whereIn('id', this.deps.knex('document_tags').where({ tag: options.tag }).select('document_id'));
    return new Set((await query.pluck('id')) as string[]);
  }

  private async passages(ids: number[], allowed: ReadonlySet<string>): Promise<PassageHit[]> {
    if (ids.length === 0) return [];
    const rows = (await this.deps.knex('document_chunks as c')
      .join('documents as d', 'd.id', 'c.document_id')
      .whereIn('c.id', ids)
      .select('c.id as passageId', 'c.document_id as documentId', 'd.title as title', 'c.page as page', 'c.text as text', 'c.ocr as ocr')) as Array<Omit<PassageHit, 'score' | 'ocr'> & { ocr: number | boolean }>;
    return rows.filter((row) => allowed.has(row.documentId)).map((row) => ({ ...row, ocr: Boolean(row.ocr), score: 0 }));
  }
}
