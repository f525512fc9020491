import type { Knex } from 'knex';
import type { StoreMigration } from '../../store';
import type { PassageHit, PassageIndex, PassageInput } from './passage-index';
import { toFts5Query } from './fts5-query';

const FTS_TABLE = 'document_chunks_fts';

/**
 * FTS5 as an external-content index over `document_chunks` (the text is stored once, in the plain
 * table the knex builder writes). unicode61 with diacritics folded tokenises Latin, Cyrillic,
 * Greek and the other alphabetic scripts; BM25 ranks.
 */
export function fts5IndexMigration(name: string): StoreMigration {
  return {
    name,
    up: (knex) => knex.raw(`CREATE VIRTUAL TABLE ${FTS_TABLE} USING fts5(text, content='document_chunks', content_rowid='id', tokenize="unicode61 remove_diacritics 2")`),
    down: (knex) => knex.raw(`DROP TABLE ${FTS_TABLE}`),
  };
}

export class Fts5PassageIndex implements PassageIndex {
  constructor(private readonly knex: Knex) {}

  async add(documentId: string, passages: readonly PassageInput[]): Promise<void> {
    if (passages.length === 0) return;
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
    await this.knex.transaction(async (trx) => {
      // External content: FTS5 must be told the exact text it indexed to remove it.
      await trx.raw(`INSERT INTO ${FTS_TABLE}(${FTS_TABLE}, rowid, text) SELECT 'delete', id, text FROM document_chunks WHERE document_id = ?`, [documentId]);
      await trx('document_chunks').where({ document_id: documentId }).delete();
    });
  }

  async search(query: string, limit: number): Promise<PassageHit[]> {
    const match = toFts5Query(query);
    if (!match) return [];
    const rows = (await this.knex.raw(
      `SELECT c.document_id AS documentId, d.title AS title, c.page AS page, c.text AS text, c.ocr AS ocr, bm25(${FTS_TABLE}) AS rank
         FROM ${FTS_TABLE}
         JOIN document_chunks c ON c.id = ${FTS_TABLE}.rowid
         JOIN documents d ON d.id = c.document_id
        WHERE ${FTS_TABLE} MATCH ? AND d.status = 'ready'
        ORDER BY rank
        LIMIT ?`,
      [match, limit],
    )) as Array<{ documentId: string; title: string; page: number; text: string; ocr: number; rank: number }>;
    // bm25() is lower-is-better and negative; the API's score is higher-is-better.
    return rows.map((row) => ({ documentId: row.documentId, title: row.title, page: row.page, text: row.text, ocr: Boolean(row.ocr), score: Math.round(-row.rank * 1000) / 1000 }));
  }
}
