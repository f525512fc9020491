import { describe, expect, it } from 'vitest';
import type { DocumentRecord } from '#protocol';
import { ingestProgress, libraryTags, originLabel, statusLabel } from '../../../../renderer/src/panels/documents/document-status';
import { applyUpdate } from '../../../../renderer/src/panels/documents/documents-store';
import { highlightTerms } from '../../../../renderer/src/panels/documents/viewer-store';

const document = (id: string, overrides: Partial<DocumentRecord> = {}): DocumentRecord => ({
  id,
  title: id,
  fileName: `${id}.pdf`,
  sha256: id,
  sizeBytes: 1000,
  status: 'ready',
  pages: 3,
  pagesDone: 3,
  ocrPages: [],
  whatsappAccess: false,
  tags: [],
  origin: null,
  error: null,
  createdAt: '',
  updatedAt: '',
  ...overrides,
});

describe('the documents list follows documents.updated', () => {
  it('replaces a document in place, adds a new one on top, removes a deleted one, and leaves an unloaded list alone', () => {
    const list = [document('a'), document('b')];
    expect(applyUpdate(list, { document: document('b', { title: 'B2' }), removed: false })!.map((item) => item.title)).toEqual(['a', 'B2']);
    expect(applyUpdate(list, { document: document('c'), removed: false })!.map((item) => item.id)).toEqual(['c', 'a', 'b']);
    expect(applyUpdate(list, { document: document('a'), removed: true })!.map((item) => item.id)).toEqual(['b']);
    expect(applyUpdate(undefined, { document: document('a'), removed: false })).toBeUndefined();
  });
});

describe('a document’s state in words and its progress bar', () => {
  it('says which page is being read and how far along it is', () => {
    const reading = document('a', { status: 'extracting', pages: 20, pagesDone: 5 });
    expect(statusLabel(reading)).toBe('Reading page 6 of 20');
    expect(ingestProgress(reading)).toBe(0.25);
    expect(statusLabel(document('a', { status: 'extracting', pages: null, pagesDone: 0 }))).toBe('Opening');
    expect(ingestProgress(document('a', { status: 'queued', pages: null, pagesDone: 0 }))).toBe(0);
  });

  it('counts OCR’d pages once ready, and shows no bar for settled documents', () => {
    expect(statusLabel(document('a', { pages: 2, ocrPages: [2] }))).toBe('2 pages, 1 read by OCR');
    expect(statusLabel(document('a', { pages: 1 }))).toBe('1 page');
    expect(ingestProgress(document('a'))).toBeUndefined();
    expect(statusLabel(document('a', { status: 'needs_password' }))).toBe('Needs its password');
  });
});

describe('highlightTerms', () => {
  it('keeps the distinct words of two letters or more, in any script', () => {
    expect(highlightTerms('Warranty, a boiler: warranty Гарантия')).toEqual(['warranty', 'boiler', 'гарантия']);
  });
});

describe('library tags and origins', () => {
  it('lists every tag once, sorted, for the filter', () => {
    expect(libraryTags([document('a', { tags: ['prices', '2026'] }), document('b', { tags: ['manuals', 'prices'] }), document('c')])).toEqual(['2026', 'manuals', 'prices']);
  });

  it('says where a handed-over document came from', () => {
    expect(originLabel({ channel: 'whatsapp', sender: '+4915112345678' })).toBe('from WhatsApp +4915112345678');
    expect(originLabel({ channel: 'api', sender: null })).toBe('from the API');
  });
});
