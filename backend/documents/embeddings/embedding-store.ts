import type { Knex } from 'knex';

const TABLE = 'document_chunk_embeddings';

export interface StoredVector {
  passageId: number;
  documentId: string;
  vector: Float32Array;
}

/**
 * Passage vectors in the app store (a float32 BLOB per passage and model, knex builder only) and
 * in memory once read: a search compares the query with every allowed passage, and reading
 * 20,000 BLOBs per query would cost more than the comparison.
 */
export class EmbeddingStore {
  private readonly cached = new Map<string, Promise<StoredVector[]>>();

  constructor(private readonly knex: Knex) {}

  /** Passages of the document that have no vector for `model` yet, in order. */
  async missing(documentId: string, model: string, limit: number): Promise<Array<{ passageId: number; text: string }>> {
    return (await this.knex('document_chunks as c')
      .leftJoin(`${TABLE} as e`, (join) => join.on('e.chunk_id', '=', 'c.id').andOn('e.model', '=', this.knex.raw('?', [model])))
      .where('c.document_id', documentId)
      .whereNull('e.chunk_id')
      .orderBy('c.id')
      .limit(limit)
      .select('c.id as passageId', 'c.text as text')) as Array<{ passageId: number; text: string }>;
  }

  async save(documentId: string, model: string, vectors: ReadonlyArray<{ passageId: number; vector: Float32Array }>): Promise<void> {
    if (vectors.length === 0) return;
    const rows = vectors.map(({ passageId, vector }) => ({ chunk_id: passageId, model, vector: Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength) }));
    // A passage deleted meanwhile (the document was re-read) is skipped by the join below, not an error.
    const existing = new Set(
      (await this.knex('document_chunks')
        .whereIn(
          'id',
          rows.map((row) => row.chunk_id),
        )
        .pluck('id')) as number[],
    );
    const kept = rows.filter((row) => existing.has(row.chunk_id));
    if (kept.length === 0) return;
    // SQLite's multi-row insert is a compound SELECT, limited to 500 terms.
    await this.knex.transaction(async (trx) => {
      for (let i = 0; i < kept.length; i += 200) await trx(TABLE).insert(kept.slice(i, i + 200)).onConflict(['chunk_id', 'model']).ignore();
    });
    const loaded = this.cached.get(model);
    if (loaded) {
      const list = await loaded;
      for (const row of kept) list.push({ passageId: row.chunk_id, documentId, vector: vectors.find((entry) => entry.passageId === row.chunk_id)!.vector });
    }
  }

  /** Every vector of `model`, read once and then kept. */
  vectors(model: string): Promise<StoredVector[]> {
    let loaded = this.cached.get(model);
    if (!loaded) {
      loaded = this.load(model);
      this.cached.set(model, loaded);
      loaded.catch(() => this.cached.delete(model));
    }
    return loaded;
  }

  /** The document's passages are gone (deleted or read again): their vectors leave memory too (the rows cascade). */
  async forgetDocument(documentId: string): Promise<void> {
    for (const loaded of this.cached.values()) {
      const list = await loaded.catch(() => undefined);
      if (!list) continue;
      for (let i = list.length - 1; i >= 0; i--) if (list[i]!.documentId === documentId) list.splice(i, 1);
    }
  }

  /** How many passages have a vector for `model`, and how many there are. */
  async coverage(model: string): Promise<{ embedded: number; passages: number }> {
    const [embedded] = (await this.knex(TABLE).where({ model }).count({ n: '*' })) as Array<{ n: number | string }>;
    const [passages] = (await this.knex('document_chunks').count({ n: '*' })) as Array<{ n: number | string }>;
    return { embedded: Number(embedded?.n ?? 0), passages: Number(passages?.n ?? 0) };
  }

  private async load(model: string): Promise<StoredVector[]> {
    const rows = (await this.knex(`${TABLE} as e`)
      .join('document_chunks as c', 'c.id', 'e.chunk_id')
      .where('e.model', model)
      .select('e.chunk_id as passageId', 'c.document_id as documentId', 'e.vector as vector')) as Array<{ passageId: number; documentId: string; vector: Buffer }>;
    // Copied out of the driver's buffer: a Float32Array needs 4-byte alignment the BLOB may not have.
    return rows.map((row) => ({ passageId: row.passageId, documentId: row.documentId, vector: new Float32Array(new Uint8Array(row.vector).buffer) }));
  }
}
