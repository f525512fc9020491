import type { Knex } from 'knex';
import type { StoreMigration } from '../../store';
import type { PassageHit, PassageIndex, PassageInput, SearchOptions } from './passage-index';
import { searchTerms, toFts5Query } from './fts5-query';

const FTS_TABLE = 'document_chunks_fts';
const VOCABULARY_TABLE = 'document_chunks_vocab';
/** Candidates fetched beyond the limit, for passages of documents still being read (left out). */
const OVERFETCH = 3;

/**
 * FTS5 as an external-content index over `document_chunks` (the text is stored once, in the plain
 * table the knex builder writes). unicode61 with diacritics folded tokenises Latin, Cyrillic,
 * Greek and the other alphabetic scripts; BM25 ranks.
 */
export function fts5IndexMigration(name: string): StoreMigration {
  return {
    name,
    async up(knex) {
      await knex.raw(`CREATE VIRTUAL TABLE ${FTS_TABLE} USING fts5(text, content='document_chunks', content_rowid='id', tokenize="unicode61 remove_diacritics 2")`);
      // How many passages hold each term: search leaves out terms too common to rank by.
      await knex.raw(`CREATE VIRTUAL TABLE ${VOCABULARY_TABLE} USING fts5vocab(${FTS_TABLE}, 'row')`);
    },
    async down(knex) {
      await knex.raw(`DROP TABLE ${VOCABULARY_TABLE}`);
      await knex.raw(`DROP TABLE ${FTS_TABLE}`);
    },
  };
}

export class Fts5PassageIndex implements PassageIndex {
  /** Passages in the index, kept between searches (this process is the store's only writer). */
  private passageCount: number | undefined;

  constructor(private readonly knex: Knex) {}

  async add(documentId: string, passages: readonly PassageInput[]): Promise<void> {
    if (passages.length === 0) return;
    this.passageCount = undefined;
    await this.knex.transaction(async (trx) => {
      const [row] = (await trx('document_chunks').where({ document_id: documentId }).max({ seq: 'seq' })) as Array<{ seq: number | null }>;
      let seq = row?.seq ?? 0;
      const rows = passages.map((passage) => ({ document_id: documentId, page: passage.page, seq: ++seq, text: passage.text, ocr: passage.ocr }));
      // SQLite allows 32766 bound variables; 6 per row.
      for (let i = 0; i < rows.length; i += 500) {
        const batch = rows.slice(i, i + 500);
        const inserted = (await trx('document_chunks').insert(batch).returning('id')) as Array<{ id: number } | number>;
        const ids = inserted.map((entry) => (typeof entry === 'number' ? entry : entry.id));
        await trx.raw(`INSERT INTO ${FTS_TABLE}(rowid, text) SELECT id, text FROM document_chunks WHERE id IN (${ids.map(() => '?').join(',')})`, ids);
      }
    });
  }

  async removeDocument(documentId: string): Promise<void> {
    this.passageCount = undefined;
    await this.knex.transaction(async (trx) => {
      // External content: FTS5 must be told the exact text it indexed to remove it.
      await trx.raw(`INSERT INTO ${FTS_TABLE}(${FTS_TABLE}, rowid, text) SELECT 'delete', id, text FROM document_chunks WHERE document_id = ?`, [documentId]);
      await trx('document_chunks').where({ document_id: documentId }).delete();
    });
  }

  async search(query: string, limit: number, options: SearchOptions = {}): Promise<PassageHit[]> {
    const terms = await this.rankableTerms(searchTerms(query));
    if (terms.length === 0) return [];
    if (options.whatsappOnly || options.tag) return this.searchWithin(terms, limit, options);
    // Rank on the FTS table alone, then read only the winners: joining first would make SQLite
    // fetch every matching passage's row before sorting.
    const ranked = (await this.knex.raw(`SELECT rowid AS id, bm25(${FTS_TABLE}) AS rank FROM ${FTS_TABLE} WHERE ${FTS_TABLE} MATCH ? ORDER BY rank LIMIT ?`, [
      toFts5Query(terms),
      limit * OVERFETCH,
    ])) as Array<{ id: number; rank: number }>;
    if (ranked.length === 0) return [];
    const rows = (await this.knex('document_chunks as c')
      .join('documents as d', 'd.id', 'c.document_id')
      .whereIn(
        'c.id',
        ranked.map((row) => row.id),
      )
      .where('d.status', 'ready')
      .select('c.id as id', 'c.document_id as documentId', 'd.title as title', 'c.page as page', 'c.text as text', 'c.ocr as ocr')) as Array<{ id: number; documentId: string; title: string; page: number; text: string; ocr: number | boolean }>;
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ranked
      .flatMap(({ id, rank }) => {
        const row = byId.get(id);
        // bm25() is lower-is-better and negative; the API's score is higher-is-better.
        return row ? [{ passageId: row.id, documentId: row.documentId, title: row.title, page: row.page, text: row.text, ocr: Boolean(row.ocr), score: Math.round(-rank * 1000) / 1000 }] : [];
      })
      .slice(0, limit);
  }

  /**
   * Ranked within the documents WhatsApp contacts may search, or those with a tag. The join comes
   * before the ranking (slower than the top-k path) so that other documents can never crowd the
   * allowed ones out.
   */
  private async searchWithin(terms: string[], limit: number, options: SearchOptions): Promise<PassageHit[]> {
    const conditions = [`${FTS_TABLE} MATCH ?`, `d.status = 'ready'`];
    const bindings: Array<string | number> = [toFts5Query(terms)];
    if (options.whatsappOnly) conditions.push('d.whatsapp_access = 1');
    if (options.tag) {
      conditions.push('EXISTS (SELECT 1 FROM document_tags t WHERE t.document_id = d.id AND t.tag = ?)');
      bindings.push(options.tag);
    }
    const rows = (await this.knex.raw(
      `SELECT c.id AS id, c.document_id AS documentId, d.title AS title, c.page AS page, c.text AS text, c.ocr AS ocr, bm25(${FTS_TABLE}) AS rank
         FROM ${FTS_TABLE}
         JOIN document_chunks c ON c.id = ${FTS_TABLE}.rowid
         JOIN documents d ON d.id = c.document_id
        WHERE ${conditions.join(' AND ')}
        ORDER BY rank
        LIMIT ?`,
      [...bindings, limit],
    )) as Array<{ id: number; documentId: string; title: string; page: number; text: string; ocr: number; rank: number }>;
    return rows.map((row) => ({ passageId: row.id, documentId: row.documentId, title: row.title, page: row.page, text: row.text, ocr: Boolean(row.ocr), score: Math.round(-row.rank * 1000) / 1000 }));
  }

  /**
   * The query's terms minus those in more than half of all passages. FTS5's bm25 gives such a term
   * an IDF of 1e-6, so it cannot change the order; but matching it means scoring nearly every
   * passage ("the", "price" in a price list), which is what made search slow. Terms found nowhere
   * go too. When every term is that common, the rarest one is kept.
   */
  private async rankableTerms(terms: string[]): Promise<string[]> {
    if (terms.length === 0) return [];
    const counts = (await this.knex.raw(`SELECT term, doc FROM ${VOCABULARY_TABLE} WHERE term IN (${terms.map(() => '?').join(',')})`, terms)) as Array<{ term: string; doc: number }>;
    const passagesWith = new Map(counts.map((row) => [row.term, Number(row.doc)]));
    const present = terms.filter((term) => (passagesWith.get(term) ?? 0) > 0);
    if (present.length <= 1) return present;
    const half = (await this.countPassages()) / 2;
    const rankable = present.filter((term) => passagesWith.get(term)! <= half);
    if (rankable.length > 0) return rankable;
    return [present.reduce((rarest, term) => (passagesWith.get(term)! < passagesWith.get(rarest)! ? term : rarest))];
  }

  private async countPassages(): Promise<number> {
    if (this.passageCount === undefined) {
      const [row] = (await this.knex('document_chunks').count({ n: '*' })) as Array<{ n: number | string }>;
      this.passageCount = Number(row?.n ?? 0);
    }
    return this.passageCount;
  }
}
