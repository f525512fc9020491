import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { ParleyError, type DocumentOrigin, type DocumentPassage, type DocumentRecord, type DocumentUploadResult } from '#protocol';
import type { JobQueue, JobWorker } from '../platform/jobs';
import type { Logger } from '../platform/observability';
import type { DocumentFiles } from './document-files';
import type { DocumentRepository } from './document-repository';
import { ingestDocument } from './ingest/ingest-document';
import type { OcrEngine } from './ocr/ocr-engine';
import type { PassageIndex, SearchOptions } from './search/passage-index';

export const INGEST_QUEUE = 'documents.ingest';

interface IngestPayload {
  documentId: string;
}

export interface DocumentLibraryDependencies {
  documents: DocumentRepository;
  files: DocumentFiles;
  index: PassageIndex;
  jobs: JobQueue;
  logger: Logger;
  ocr: OcrEngine;
  ocrEnabled(): Promise<boolean>;
  /** A document became ready: its passages get vectors when hybrid search is on. */
  ready(documentId: string): Promise<void>;
  /** The `pdf_ingest_page` stage, per page. */
  observePage(milliseconds: number): void;
  /** Publishes documents.updated. */
  publish(document: DocumentRecord, removed: boolean): void;
}

/** Statuses a new upload of the same file (or an unlock) starts over from. */
const RETRYABLE = new Set(['failed', 'needs_password', 'cancelled']);

/**
 * The documents staff gave Parley: upload (recognising the same bytes), ingest as durable jobs,
 * cancel, delete with its index entries, and search.
 */
export class DocumentLibrary {
  /** Running ingests by document, so a cancel or a delete stops them. */
  private readonly running = new Map<string, AbortController>();
  /** Passwords given for encrypted PDFs, kept in memory only (never in the store or a job payload). */
  private readonly passwords = new Map<string, string>();
  private worker: JobWorker | undefined;

  constructor(private readonly deps: DocumentLibraryDependencies) {}

  start(): void {
    // One PDF at a time: extraction and OCR each take a core.
    this.worker = this.deps.jobs.work<IngestPayload>(INGEST_QUEUE, { concurrency: 1, leaseMs: 60_000 }, async (job) => {
      const document = await this.deps.documents.find(job.payload.documentId);
      // 'extracting' here means an earlier attempt died with the process: its job ran again after the lease.
      if (!document || (document.status !== 'queued' && document.status !== 'extracting')) return;
      const controller = new AbortController();
      this.running.set(document.id, controller);
      const signal = AbortSignal.any([controller.signal, job.signal]);
      const started = performance.now();
      try {
        await ingestDocument(
          { documents: this.deps.documents, files: this.deps.files, index: this.deps.index, ocr: this.deps.ocr, changed: (id) => void this.announce(id), observePage: this.deps.observePage },
          { documentId: document.id, sha256: document.sha256, password: this.passwords.get(document.id), ocrEnabled: await this.deps.ocrEnabled(), signal },
        );
        const after = await this.deps.documents.find(document.id);
        this.deps.logger.info({ documentId: document.id, status: after?.status, pages: after?.pages, ms: Math.round(performance.now() - started) }, 'Document ingested');
        if (after?.status === 'ready') await this.deps.ready(document.id).catch((error: unknown) => this.deps.logger.error({ err: error, documentId: document.id }, 'Queueing the document for embedding failed'));
      } catch (error) {
        // The user's cancel completes the job; the queue stopping (job.signal) leaves it to be resumed.
        if (!controller.signal.aborted) {
          await this.deps.documents.update(document.id, { status: 'queued' });
          throw error;
        }
        if (await this.deps.documents.find(document.id)) {
          await this.deps.index.removeDocument(document.id);
          await this.deps.documents.clearPages(document.id);
          await this.deps.documents.update(document.id, { status: 'cancelled', error: 'Stopped before it was ready. Upload the file again to read it.', pagesDone: 0 });
          void this.announce(document.id);
        }
      } finally {
        this.running.delete(document.id);
      }
    });
  }

  async stop(): Promise<void> {
    await this.worker?.dispose();
    await this.deps.ocr.dispose();
  }

  /** A PDF from the console, the API or another channel (`origin`: a WhatsApp contact's file). */
  async upload(bytes: Uint8Array, fileName: string, password?: string, origin?: DocumentOrigin): Promise<DocumentUploadResult> {
    if (!looksLikePdf(bytes)) {
      throw new ParleyError('invalid_params', `${fileName || 'The file'} is not a PDF (it does not start with %PDF-)`, { hint: 'Upload a PDF file; export other documents to PDF first.' });
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const existing = await this.deps.documents.findBySha256(sha256);
    if (existing && !RETRYABLE.has(existing.status)) return { id: existing.id, status: existing.status, duplicate: true };
    await this.deps.files.write(sha256, bytes);
    // The same bytes after a failure: read them again (a new password, a fixed reader, a cancel undone).
    const document = existing ?? (await this.deps.documents.create({ title: titleOf(fileName), fileName: basename(fileName) || 'document.pdf', sha256, sizeBytes: bytes.byteLength, origin }));
    if (password) this.passwords.set(document.id, password);
    if (existing) return { id: existing.id, status: await this.enqueue(existing.id), duplicate: true };
    return { id: document.id, status: await this.enqueue(document.id), duplicate: false };
  }

  /** Reads an encrypted PDF again with its password. */
  async unlock(id: string, password: string): Promise<DocumentRecord> {
    const document = await this.deps.documents.get(id);
    if (document.status !== 'needs_password') throw new ParleyError('conflict', `"${document.title}" is not waiting for a password (it is ${document.status})`);
    this.passwords.set(id, password);
    await this.enqueue(id);
    return this.deps.documents.get(id);
  }

  async cancel(id: string): Promise<boolean> {
    const document = await this.deps.documents.get(id);
    const controller = this.running.get(id);
    if (controller) {
      controller.abort(new ParleyError('cancelled', 'Ingest cancelled'));
      return true;
    }
    if (document.status !== 'queued') return false;
    await this.deps.documents.update(id, { status: 'cancelled', error: 'Stopped before it was read. Upload the file again to read it.' });
    await this.announce(id);
    return true;
  }

  async delete(id: string): Promise<boolean> {
    const document = await this.deps.documents.find(id);
    if (!document) return false;
    this.running.get(id)?.abort(new ParleyError('cancelled', 'Document deleted'));
    await this.deps.index.removeDocument(id);
    await this.deps.documents.delete(id);
    await this.deps.files.remove(document.sha256);
    this.passwords.delete(id);
    this.deps.publish(document, true);
    return true;
  }

  async search(query: string, limit = 8, options: SearchOptions = {}): Promise<DocumentPassage[]> {
    const hits = await this.deps.index.search(query, limit, options);
    return hits.map(({ documentId, title, page, text, score, ocr }) => ({ documentId, title, page, text, score, ocr }));
  }

  private async enqueue(id: string): Promise<'queued'> {
    await this.deps.documents.update(id, { status: 'queued', error: null, pagesDone: 0 });
    // Each upload or retry is its own job; the status check in the handler drops stale ones.
    await this.deps.jobs.enqueue(INGEST_QUEUE, { documentId: id } satisfies IngestPayload, { serialKey: id, maxAttempts: 3 });
    await this.announce(id);
    return 'queued';
  }

  private async announce(id: string): Promise<void> {
    const document = await this.deps.documents.find(id);
    if (document) this.deps.publish(document, false);
  }
}

function looksLikePdf(bytes: Uint8Array): boolean {
  // The header may follow a little junk (the spec allows it within the first 1024 bytes).
  return Buffer.from(bytes.subarray(0, 1024)).includes('%PDF-');
}

function titleOf(fileName: string): string {
  const name = basename(fileName || 'Document').replace(/\.pdf$/i, '').replace(/[_]+/g, ' ').trim();
  return name.slice(0, 200) || 'Document';
}
