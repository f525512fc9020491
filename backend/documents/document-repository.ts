import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { ParleyError, type Channel, type DocumentOrigin, type DocumentRecord, type DocumentStatus } from '#protocol';

interface DocumentRow {
  id: string;
  title: string;
  file_name: string;
  sha256: string;
  size_bytes: number;
  status: DocumentStatus;
  error: string | null;
  pages: number | null;
  pages_done: number;
  whatsapp_access: number | boolean;
  origin_channel: Channel | null;
  origin_sender: string | null;
  created_at: string;
  updated_at: string;
}

export interface NewDocument {
  title: string;
  fileName: string;
  sha256: string;
  sizeBytes: number;
  origin?: DocumentOrigin;
}

export interface DocumentProgress {
  status?: DocumentStatus;
  error?: string | null;
  pages?: number | null;
  pagesDone?: number;
}

/** Extras a listed document carries besides its row. */
interface RowExtras {
  ocrPages: number[];
  tags: string[];
}

/** The documents, their pages' text, which pages were OCR'd and their tags, in the app store (knex builder only). */
export class DocumentRepository {
  constructor(private readonly knex: Knex) {}

  /** Newest first; with `tag`, only documents carrying it. */
  async list(filter: { tag?: string } = {}): Promise<DocumentRecord[]> {
    const query = this.knex<DocumentRow>('documents').orderBy('created_at', 'desc');
    if (filter.tag) query.whereIn('id', this.knex('document_tags').where({ tag: filter.tag }).select('document_id'));
    const rows = (await query) as DocumentRow[];
    const ocr = await this.ocrPagesByDocument();
    const tags = await this.tagsByDocument();
    return rows.map((row) => toRecord(row, { ocrPages: ocr.get(row.id) ?? [], tags: tags.get(row.id) ?? [] }));
  }

  async find(id: string): Promise<DocumentRecord | undefined> {
    const row = (await this.knex<DocumentRow>('documents').where({ id }).first()) as DocumentRow | undefined;
    if (!row) return undefined;
    const ocrPages = (await this.knex('document_pages').where({ document_id: id, ocr: true }).orderBy('page').pluck('page')) as number[];
    const tags = (await this.knex('document_tags').where({ document_id: id }).orderBy('tag').pluck('tag')) as string[];
    return toRecord(row, { ocrPages, tags });
  }

  async get(id: string): Promise<DocumentRecord> {
    const found = await this.find(id);
    if (!found) throw new ParleyError('not_found', `No document with id "${id}"`, { hint: 'It may have been deleted; documents.list shows what there is.' });
    return found;
  }

  async findBySha256(sha256: string): Promise<DocumentRecord | undefined> {
    const row = (await this.knex<DocumentRow>('documents').where({ sha256 }).first('id')) as { id: string } | undefined;
    return row ? this.find(row.id) : undefined;
  }

  async create(document: NewDocument): Promise<DocumentRecord> {
    const now = new Date().toISOString();
    const id = randomUUID();
    await this.knex('documents').insert({
      id,
      title: document.title,
      file_name: document.fileName,
      sha256: document.sha256,
      size_bytes: document.sizeBytes,
      status: 'queued',
      error: null,
      pages: null,
      pages_done: 0,
      origin_channel: document.origin?.channel ?? null,
      origin_sender: document.origin?.sender ?? null,
      created_at: now,
      updated_at: now,
    });
    return this.get(id);
  }

  async update(id: string, progress: DocumentProgress): Promise<void> {
    const changes: Partial<DocumentRow> = { updated_at: new Date().toISOString() };
    if (progress.status !== undefined) changes.status = progress.status;
    if (progress.error !== undefined) changes.error = progress.error;
    if (progress.pages !== undefined) changes.pages = progress.pages;
    if (progress.pagesDone !== undefined) changes.pages_done = progress.pagesDone;
    await this.knex('documents').where({ id }).update(changes);
  }

  async setWhatsappAccess(id: string, allowed: boolean): Promise<void> {
    const changed = await this.knex('documents').where({ id }).update({ whatsapp_access: allowed, updated_at: new Date().toISOString() });
    if (changed === 0) throw new ParleyError('not_found', `No document with id "${id}"`);
  }

  async rename(id: string, title: string): Promise<void> {
    const changed = await this.knex('documents').where({ id }).update({ title, updated_at: new Date().toISOString() });
    if (changed === 0) throw new ParleyError('not_found', `No document with id "${id}"`);
  }

  async addTag(id: string, tag: string): Promise<void> {
    await this.get(id);
    await this.knex('document_tags').insert({ document_id: id, tag }).onConflict(['document_id', 'tag']).ignore();
    await this.touch(id);
  }

  async removeTag(id: string, tag: string): Promise<void> {
    await this.get(id);
    await this.knex('document_tags').where({ document_id: id, tag }).delete();
    await this.touch(id);
  }

  async savePages(id: string, pages: ReadonlyArray<{ page: number; text: string; ocr: boolean }>): Promise<void> {
    if (pages.length === 0) return;
    const rows = pages.map((page) => ({ document_id: id, page: page.page, text: page.text, ocr: page.ocr }));
    for (let i = 0; i < rows.length; i += 500) await this.knex('document_pages').insert(rows.slice(i, i + 500));
  }

  async clearPages(id: string): Promise<void> {
    await this.knex('document_pages').where({ document_id: id }).delete();
  }

  async pageText(id: string, page: number): Promise<string | undefined> {
    const row = (await this.knex('document_pages').where({ document_id: id, page }).first('text')) as { text: string } | undefined;
    return row?.text;
  }

  async delete(id: string): Promise<boolean> {
    return (await this.knex('documents').where({ id }).delete()) > 0;
  }

  private async touch(id: string): Promise<void> {
    await this.knex('documents').where({ id }).update({ updated_at: new Date().toISOString() });
  }

  private async tagsByDocument(): Promise<Map<string, string[]>> {
    const rows = (await this.knex('document_tags').orderBy(['document_id', 'tag']).select('document_id', 'tag')) as Array<{ document_id: string; tag: string }>;
    const byDocument = new Map<string, string[]>();
    for (const row of rows) byDocument.set(row.document_id, [...(byDocument.get(row.document_id) ?? []), row.tag]);
    return byDocument;
  }

  private async ocrPagesByDocument(): Promise<Map<string, number[]>> {
    const rows = (await this.knex('document_pages').where({ ocr: true }).orderBy(['document_id', 'page']).select('document_id', 'page')) as Array<{ document_id: string; page: number }>;
    const byDocument = new Map<string, number[]>();
    for (const row of rows) byDocument.set(row.document_id, [...(byDocument.get(row.document_id) ?? []), row.page]);
    return byDocument;
  }
}

function toRecord(row: DocumentRow, { ocrPages, tags }: RowExtras): DocumentRecord {
  return {
    id: row.id,
    title: row.title,
    fileName: row.file_name,
    sha256: row.sha256,
    sizeBytes: row.size_bytes,
    status: row.status,
    pages: row.pages,
    pagesDone: row.pages_done,
    ocrPages,
    whatsappAccess: Boolean(row.whatsapp_access),
    tags,
    origin: row.origin_channel ? { channel: row.origin_channel, sender: row.origin_sender } : null,
    error: row.error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
