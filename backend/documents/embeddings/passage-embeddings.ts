import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { JobQueue, JobWorker } from '../../platform/jobs';
import type { Logger } from '../../platform/observability';
import type { SettingsRepository } from '../../store';
import { createEmbedder, type Embedder, type ResolveProvider } from './embedding-client';
import type { EmbeddingStore } from './embedding-store';

export const EMBED_QUEUE = 'documents.embed';
/** Passages per `/embeddings` request: well under providers' input limits (2,048 for OpenAI). */
const BATCH = 64;

interface EmbedPayload {
  documentId: string;
}

export interface PassageEmbeddingsDependencies {
  knex: Knex;
  store: EmbeddingStore;
  jobs: JobQueue;
  settings: SettingsRepository;
  resolveProvider: ResolveProvider;
  logger: Logger;
}

/**
 * Hybrid search's half that is optional: when `documents.embeddings.enabled`, each document that
 * becomes ready is embedded by a job (durable, retried, visible in Diagnostics), and turning the
 * setting on (or choosing another model) queues the documents already there.
 */
export class PassageEmbeddings {
  private worker: JobWorker | undefined;
  private stopListening: (() => void) | undefined;
  private client: { fingerprint: string; embedder: Embedder } | undefined;

  constructor(private readonly deps: PassageEmbeddingsDependencies) {}

  start(): void {
    this.worker = this.deps.jobs.work<EmbedPayload>(EMBED_QUEUE, { concurrency: 1, leaseMs: 60_000 }, async (job) => {
      const embedder = await this.embedder();
      if (!embedder) return;
      let done = 0;
      for (;;) {
        job.signal.throwIfAborted();
        const batch = await this.deps.store.missing(job.payload.documentId, embedder.key, BATCH);
        if (batch.length === 0) break;
        const vectors = await embedder.embed(
          batch.map((passage) => passage.text),
          job.signal,
        );
        await this.deps.store.save(
          job.payload.documentId,
          embedder.key,
          batch.map((passage, index) => ({ passageId: passage.passageId, vector: vectors[index]! })),
        );
        done += batch.length;
      }
      if (done > 0) this.deps.logger.info({ documentId: job.payload.documentId, passages: done, model: embedder.key }, 'Document passages embedded');
    });
    this.stopListening = this.deps.settings.onChange((key) => {
      if (key === 'documents.embeddings.enabled' || key === 'documents.embeddings.model') void this.queueEveryDocument().catch((error: unknown) => this.deps.logger.error({ err: error }, 'Queueing documents for embedding failed'));
    });
  }

  async stop(): Promise<void> {
    this.stopListening?.();
    await this.worker?.dispose();
  }

  /** The embedder hybrid search and the jobs use, or undefined when embeddings are off or no model is chosen. */
  async embedder(): Promise<Embedder | undefined> {
    const settings = await this.deps.settings.getAll();
    const ref = settings['documents.embeddings.model'];
    if (!settings['documents.embeddings.enabled'] || !ref) return undefined;
    const access = await this.deps.resolveProvider(ref.providerId);
    // The client is kept while the provider's address, key and the model stay the same.
    const fingerprint = createHash('sha256').update(JSON.stringify([ref, access])).digest('hex');
    if (this.client?.fingerprint !== fingerprint) this.client = { fingerprint, embedder: await createEmbedder(ref, async () => access) };
    return this.client.embedder;
  }

  /** After a document became ready. A provider that cannot be reached fails the job, where Diagnostics shows it. */
  async queue(documentId: string): Promise<void> {
    if (!(await this.wanted())) return;
    await this.deps.jobs.enqueue(EMBED_QUEUE, { documentId } satisfies EmbedPayload, { serialKey: documentId, maxAttempts: 5 });
  }

  private async wanted(): Promise<boolean> {
    const settings = await this.deps.settings.getAll();
    return settings['documents.embeddings.enabled'] && settings['documents.embeddings.model'] !== null;
  }

  private async queueEveryDocument(): Promise<void> {
    if (!(await this.wanted())) return;
    const ids = (await this.deps.knex('documents').where({ status: 'ready' }).pluck('id')) as string[];
    for (const id of ids) await this.deps.jobs.enqueue(EMBED_QUEUE, { documentId: id } satisfies EmbedPayload, { serialKey: id, maxAttempts: 5 });
  }
}
