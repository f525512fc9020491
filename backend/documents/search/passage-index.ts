import type { Knex } from 'knex';
import type { StoreMigration } from '../../store';
import { Fts5PassageIndex, fts5IndexMigration } from './fts5-passage-index';

/** A passage as it is indexed: the text of one chunk of one page. */
export interface PassageInput {
  page: number;
  text: string;
  ocr: boolean;
}

export interface SearchOptions {
  /** Only documents WhatsApp contacts may search. */
  whatsappOnly?: boolean;
  /** Only documents with this tag. */
  tag?: string;
}

export interface PassageHit {
  /** The passage's row (document_chunks.id): what hybrid search fuses the rankings by. */
  passageId: number;
  documentId: string;
  title: string;
  page: number;
  text: string;
  /** Higher is more relevant. */
  score: number;
  ocr: boolean;
}

/**
 * Full-text search over document passages. SQLite's FTS5 with BM25 serves the embedded store;
 * a PostgreSQL store would implement the same contract with tsvector and ts_rank, which is why
 * nothing outside this folder writes SQL of its own.
 */
export interface PassageIndex {
  /** Adds passages of a document (appended to what it already has). */
  add(documentId: string, passages: readonly PassageInput[]): Promise<void>;
  /** Removes every passage of the document. */
  removeDocument(documentId: string): Promise<void>;
  /** Best passages first; documents that are not `ready` are left out, and with `whatsappOnly` those WhatsApp contacts may not search, with `tag` those without it. */
  search(query: string, limit: number, options?: SearchOptions): Promise<PassageHit[]>;
}

export function createPassageIndex(knex: Knex): PassageIndex {
  const client = String(knex.client.config.client);
  if (client === 'better-sqlite3' || client === 'sqlite3') return new Fts5PassageIndex(knex);
  throw new Error(`Document search has no index for the "${client}" store yet`);
}

/** The index's own schema, for the store it runs on. */
export function passageIndexMigration(name: string): StoreMigration {
  return fts5IndexMigration(name);
}
