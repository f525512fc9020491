import { z } from 'zod';
import { eventSpec, type MethodSpec } from './define';
import { topics } from './topics';

/**
 * A document's life: queued → extracting (text layer, then OCR of pages without one) → ready.
 * `failed` (corrupt, not a PDF, no pages) and `needs_password` (encrypted) say why in `error`;
 * uploading the same file again retries it. `cancelled`: stopped by the user before it was ready.
 */
export const documentStatusSchema = z.enum(['queued', 'extracting', 'ready', 'failed', 'needs_password', 'cancelled']);
export type DocumentStatus = z.infer<typeof documentStatusSchema>;

export const documentSchema = z.object({
  id: z.string(),
  title: z.string(),
  fileName: z.string(),
  sha256: z.string(),
  sizeBytes: z.number(),
  status: documentStatusSchema,
  /** Page count once the file is open; null before. */
  pages: z.number().nullable(),
  /** Pages extracted so far (the progress bar). */
  pagesDone: z.number(),
  /** Pages whose text came from OCR (scanned pages), by page number. */
  ocrPages: z.array(z.number()),
  /** WhatsApp contacts' answers may quote it (the operator's console and the API always may). */
  whatsappAccess: z.boolean(),
  /** What went wrong, said for the user; null unless failed or needs_password. */
  error: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type DocumentRecord = z.infer<typeof documentSchema>;

export const documentPassageSchema = z.object({
  documentId: z.string(),
  title: z.string(),
  /** 1-based page the passage is on; a passage never spans pages. */
  page: z.number(),
  text: z.string(),
  /** Relevance, higher is better (BM25 turned positive). */
  score: z.number(),
  /** The page's text came from OCR. */
  ocr: z.boolean(),
});
export type DocumentPassage = z.infer<typeof documentPassageSchema>;

/** `POST /api/documents` (multipart field `file`) answers this; `duplicate` when the same bytes were already uploaded. */
export const documentUploadResultSchema = z.object({ id: z.string(), status: documentStatusSchema, duplicate: z.boolean() });
export type DocumentUploadResult = z.infer<typeof documentUploadResultSchema>;

export const DOCUMENT_UPLOAD_PATH = '/api/documents';
/** The viewer's file: `GET /api/documents/<id>/file`. */
export const documentFilePath = (id: string) => `/api/documents/${encodeURIComponent(id)}/file`;

export const documentsMethods = {
  'documents.list': {
    params: z.object({}),
    result: z.object({ documents: z.array(documentSchema) }),
  },
  'documents.get': {
    params: z.object({ id: z.string().min(1) }),
    result: documentSchema,
  },
  'documents.search': {
    params: z.object({ query: z.string().trim().min(1).max(500), limit: z.number().int().min(1).max(50).optional() }),
    result: z.object({ passages: z.array(documentPassageSchema) }),
  },
  /** Removes the document, its file and its index entries; stops its ingest if it runs. */
  'documents.delete': {
    params: z.object({ id: z.string().min(1) }),
    result: z.object({ deleted: z.boolean() }),
  },
  /** Stops a running ingest (a long OCR); upload the file again to resume from the start. */
  'documents.cancel': {
    params: z.object({ id: z.string().min(1) }),
    result: z.object({ cancelled: z.boolean() }),
  },
  /** Reads a document that needs a password again, with this one (kept in memory only). */
  'documents.unlock': {
    params: z.object({ id: z.string().min(1), password: z.string().min(1).max(1024) }),
    result: documentSchema,
  },
  /** Which channels may search the document besides the console: WhatsApp contacts only when allowed. */
  'documents.setAccess': {
    params: z.object({ id: z.string().min(1), whatsapp: z.boolean() }),
    result: documentSchema,
  },
  'documents.rename': {
    params: z.object({ id: z.string().min(1), title: z.string().trim().min(1).max(200) }),
    result: documentSchema,
  },
} as const satisfies Record<string, MethodSpec>;

export const documentsEvents = {
  /** A document was added, progressed, finished, failed or was removed (`removed` then true). */
  'documents.updated': eventSpec(z.object({ document: documentSchema, removed: z.boolean() }), () => topics.documents),
};

export const documentsSettings = {
  /** OCR of pages without a text layer (tesseract.js, English bundled). */
  'documents.ocr.enabled': z.boolean().default(true),
};
