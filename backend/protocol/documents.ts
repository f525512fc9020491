import { z } from 'zod';
import { channelSchema, modelRefSchema } from './agent';
import { eventSpec, type MethodSpec } from './define';
import { topics } from './topics';

/**
 * A document's life: queued → extracting (text layer, then OCR of pages without one) → ready.
 * `failed` (corrupt, not a PDF, no pages) and `needs_password` (encrypted) say why in `error`;
 * uploading the same file again retries it. `cancelled`: stopped by the user before it was ready.
 */
export const documentStatusSchema = z.enum(['queued', 'extracting', 'ready', 'failed', 'needs_password', 'cancelled']);
export type DocumentStatus = z.infer<typeof documentStatusSchema>;

/** A label staff give documents ("prices", "2026") to find and filter them. */
export const documentTagSchema = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .transform((tag) => tag.toLowerCase());

/** Where a document came from when it was not uploaded in the console or the API: a channel's sender. */
export const documentOriginSchema = z.object({ channel: channelSchema, sender: z.string().nullable() });
export type DocumentOrigin = z.infer<typeof documentOriginSchema>;

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
  /** Staff's labels, lower-cased, sorted. */
  tags: z.array(z.string()),
  /** The channel and sender that handed it over (a WhatsApp contact's PDF); null for uploads. */
  origin: documentOriginSchema.nullable(),
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
  /** Relevance, higher is better: BM25 turned positive, or the fused rank score when hybrid search is on. */
  score: z.number(),
  /** The page's text came from OCR. */
  ocr: z.boolean(),
});
export type DocumentPassage = z.infer<typeof documentPassageSchema>;

/** `POST /api/documents` (multipart field `file`) answers this; `duplicate` when the same bytes were already uploaded. */
export const documentUploadResultSchema = z.object({ id: z.string(), status: documentStatusSchema, duplicate: z.boolean() });
export type DocumentUploadResult = z.infer<typeof documentUploadResultSchema>;

/** tesseract's language codes: "eng", "deu", "chi_sim". */
export const ocrLanguageCodeSchema = z.string().regex(/^[a-z]{3}(_[a-z]{3,4})?$/, 'a tesseract language code such as "deu" or "chi_sim"');

export const ocrLanguageSchema = z.object({
  code: z.string(),
  /** The language's name; the code itself for one the catalogue does not know. */
  name: z.string(),
  /** English ships with Parley (an npm package); others are downloaded. */
  bundled: z.boolean(),
  installed: z.boolean(),
  /** Listed in `documents.ocr.languages`, so OCR reads with it. */
  active: z.boolean(),
  sizeBytes: z.number().nullable(),
});
export type OcrLanguage = z.infer<typeof ocrLanguageSchema>;

export const DOCUMENT_UPLOAD_PATH = '/api/documents';
/** The viewer's file: `GET /api/documents/<id>/file`. */
export const documentFilePath = (id: string) => `/api/documents/${encodeURIComponent(id)}/file`;

export const documentsMethods = {
  /** Every document, or those with `tag`. */
  'documents.list': {
    params: z.object({ tag: documentTagSchema.optional() }),
    result: z.object({ documents: z.array(documentSchema) }),
  },
  'documents.get': {
    params: z.object({ id: z.string().min(1) }),
    result: documentSchema,
  },
  'documents.search': {
    params: z.object({ query: z.string().trim().min(1).max(500), limit: z.number().int().min(1).max(50).optional(), tag: documentTagSchema.optional() }),
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
  'documents.addTag': {
    params: z.object({ id: z.string().min(1), tag: documentTagSchema }),
    result: documentSchema,
  },
  'documents.removeTag': {
    params: z.object({ id: z.string().min(1), tag: documentTagSchema }),
    result: documentSchema,
  },
  /** OCR languages: English (bundled), those downloaded, and the catalogue's others. */
  'documents.ocrLanguages.list': {
    params: z.object({}),
    result: z.object({ languages: z.array(ocrLanguageSchema) }),
  },
  /**
   * Downloads a language's traineddata from `documents.ocr.languageBaseUrl`, resumable and
   * SHA-256-verified: against the catalogue's checksum, or `sha256` for a code it does not list.
   */
  'documents.ocrLanguages.install': {
    params: z.object({ code: ocrLanguageCodeSchema, sha256: z.string().regex(/^[0-9a-f]{64}$/i).optional() }),
    result: z.object({ languages: z.array(ocrLanguageSchema) }),
  },
  'documents.ocrLanguages.remove': {
    params: z.object({ code: ocrLanguageCodeSchema }),
    result: z.object({ languages: z.array(ocrLanguageSchema) }),
  },
} as const satisfies Record<string, MethodSpec>;

export const documentsEvents = {
  /** A document was added, progressed, finished, failed or was removed (`removed` then true). */
  'documents.updated': eventSpec(z.object({ document: documentSchema, removed: z.boolean() }), () => topics.documents),
};

/** tessdata_fast's models, as tesseract.js fetches them when it is given no path: `{lang}` is the code. */
export const DEFAULT_OCR_LANGUAGE_BASE_URL = 'https://cdn.jsdelivr.net/npm/@tesseract.js-data/{lang}/4.0.0_best_int/';

export const documentsSettings = {
  /** OCR of pages without a text layer (tesseract.js, English bundled). */
  'documents.ocr.enabled': z.boolean().default(true),
  /** The languages OCR reads scanned pages in, each installed (`documents.ocrLanguages.install`); English is bundled. */
  'documents.ocr.languages': z.array(ocrLanguageCodeSchema).min(1).max(8).default(['eng']),
  /** Where `documents.ocrLanguages.install` downloads `<code>.traineddata.gz` from; `{lang}` is replaced by the code. */
  'documents.ocr.languageBaseUrl': z.url({ protocol: /^https?$/ }).default(DEFAULT_OCR_LANGUAGE_BASE_URL),
  /** Hybrid search: passages embedded by `documents.embeddings.model`'s `/embeddings`, fused with BM25. */
  'documents.embeddings.enabled': z.boolean().default(false),
  /** The provider and embedding model (e.g. text-embedding-3-small), from the Models panel's providers. */
  'documents.embeddings.model': modelRefSchema.nullable().default(null),
};

/** The href of a citation link in an answer: `parley:doc/<id>?page=<n>&q=<the passage's first words>`. */
export const CITATION_HREF_PREFIX = 'parley:doc/';

export interface CitationTarget {
  documentId: string;
  page: number;
  /** The passage's first words: which passage of the page is meant, highlighted when nothing better is known. */
  quote: string;
}

export function citationHref(target: CitationTarget): string {
  const query = new URLSearchParams({ page: String(target.page) });
  if (target.quote) query.set('q', target.quote);
  return `${CITATION_HREF_PREFIX}${encodeURIComponent(target.documentId)}?${query.toString()}`;
}

/** A citation href back to its target; undefined for anything else or anything malformed (model output is untrusted). */
export function parseCitationHref(href: string): CitationTarget | undefined {
  if (!href.startsWith(CITATION_HREF_PREFIX)) return undefined;
  const rest = href.slice(CITATION_HREF_PREFIX.length);
  const queryAt = rest.indexOf('?');
  let documentId: string;
  try {
    documentId = decodeURIComponent(queryAt === -1 ? rest : rest.slice(0, queryAt));
  } catch {
    return undefined;
  }
  if (!/^[\w-]{1,64}$/.test(documentId)) return undefined;
  const query = new URLSearchParams(queryAt === -1 ? '' : rest.slice(queryAt + 1));
  const page = Number(query.get('page') ?? '1');
  if (!Number.isInteger(page) || page < 1 || page > 100_000) return undefined;
  return { documentId, page, quote: (query.get('q') ?? '').slice(0, 300) };
}
