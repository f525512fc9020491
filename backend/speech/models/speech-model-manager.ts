import { createHash } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, isAbsolute, resolve } from 'node:path';
import { ParleyError } from '#protocol';
import { DEFAULT_RETRY_POLICY, downloadCancelled, isCancelled, ProgressMeter, transferToPart, type RetryPolicy } from '../../platform/downloads';
import { speechModelCatalogue, type CatalogueBaseUrls } from './catalogue';
import { CustomModelRegistry } from './custom-model-registry';
import { type DownloadOptions } from './download-options';
import { ListenerSet } from '../../base';
import { describeCatalogueEntry, describeCustomModel, filesIn, listInstalledModels, UNLISTED_PREFIX } from './model-inventory';
import { ModelPaths } from './model-paths';
import {
  SPEECH_MODEL_KINDS,
  type CatalogueEntry,
  type CatalogueEntryStatus,
  type DownloadOutcome,
  type DownloadProgress,
  type InstalledModel,
  type SpeechModelKind,
} from './model-types';
import { SharedDownload } from './shared-download';
import { validateCustomModel } from './validate-custom-model';

export interface SpeechModelManagerOptions {
  /** Models live in `<dataDir>/models/{whisper,piper}/`. */
  dataDir: string;
  fetch?: typeof fetch;
  /** Download from a mirror (or, in tests, a local server) instead of Hugging Face. */
  baseUrls?: CatalogueBaseUrls;
  /** Replaces the built-in catalogue entirely. */
  catalogue?: readonly CatalogueEntry[];
  retry?: Partial<RetryPolicy>;
  stallTimeoutMs?: number;
  /** The shortest time between two progress reports of one download. */
  progressIntervalMs?: number;
}

const CUSTOM_PREFIX = 'custom:';

/**
 * Downloads, lists and removes the local speech models: whisper.cpp models for recognition and
 * Piper voices for synthesis, from the catalogue or registered from the user's own files.
 */
export class SpeechModelManager {
  private readonly paths: ModelPaths;
  private readonly entries: readonly CatalogueEntry[];
  private readonly fetch: typeof fetch;
  private readonly retry: RetryPolicy;
  private readonly stallTimeoutMs: number;
  private readonly progressIntervalMs: number;
  private readonly customModels: CustomModelRegistry;
  /** At most one transfer per model. */
  private readonly running = new Map<string, SharedDownload>();
  // A subscriber that fails (a broadcast to a closed socket) must not fail the download it watches.
  private readonly progressListeners = new ListenerSet<[DownloadProgress]>(() => {});
  private readonly settledListeners = new ListenerSet<[DownloadOutcome]>(() => {});

  constructor(options: SpeechModelManagerOptions) {
    this.paths = new ModelPaths(options.dataDir);
    this.entries = options.catalogue ?? speechModelCatalogue(options.baseUrls);
    this.fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.stallTimeoutMs = options.stallTimeoutMs ?? 30_000;
    this.progressIntervalMs = options.progressIntervalMs ?? 250;
    this.customModels = new CustomModelRegistry(this.paths.customRegistry);
  }

  catalogue(): CatalogueEntry[] {
    return [...this.entries];
  }

  /** For each catalogue entry: installed, downloading, partly downloaded (resumable) or absent. */
  async catalogueStatus(): Promise<CatalogueEntryStatus[]> {
    const onDisk = { whisper: await filesIn(this.paths.dir('whisper')), piper: await filesIn(this.paths.dir('piper')) };
    return Promise.all(
      this.entries.map(async (entry): Promise<CatalogueEntryStatus> => {
        const partSizes = await Promise.all(entry.files.map((file) => sizeOf(this.paths.part(entry.kind, file.fileName))));
        const partialBytes = partSizes.reduce<number>((total, size) => total + (size ?? 0), 0);
        const state = this.running.has(entry.id)
          ? 'downloading'
          : describeCatalogueEntry(this.paths, entry, onDisk[entry.kind])
            ? 'installed'
            : partSizes.some((size) => size !== undefined)
              ? 'partial'
              : 'absent';
        return { id: entry.id, state, partialBytes };
      }),
    );
  }

  async installed(): Promise<InstalledModel[]> {
    return listInstalledModels(this.paths, this.entries, await this.customModels.list());
  }

  /** The latest progress of every download under way. */
  activeDownloads(): DownloadProgress[] {
    return [...this.running.values()].map((download) => download.latest);
  }

  /**
   * Downloads a catalogue model, resuming a part left by an earlier attempt, and resolves once it
   * is verified and installed (at once when it already is). A second call for a model that is
   * already downloading joins that download instead of starting another.
   */
  download(id: string, options: DownloadOptions = {}): Promise<InstalledModel> {
    let entry: CatalogueEntry;
    try {
      entry = this.entry(id);
    } catch (error) {
      return Promise.reject(error);
    }
    if (options.signal?.aborted) return Promise.reject(downloadCancelled(options.signal.reason));
    const current = this.running.get(id);
    if (current && !current.signal.aborted) return current.join(options);
    // A cancelled transfer may still be closing its file: start the next one after it has.
    if (current) return current.finished().then(() => this.download(id, options));
    return this.start(entry).join(options);
  }

  /** Stops a download and waits until it has; its part is kept for a resume unless `discardPartial`. Resolves whether one was running. */
  async cancel(id: string, options: { discardPartial?: boolean } = {}): Promise<boolean> {
    const entry = this.entry(id);
    const running = this.running.get(id);
    if (running) await running.stop();
    if (options.discardPartial) await Promise.all(entry.files.map((file) => rm(this.paths.part(entry.kind, file.fileName), { force: true })));
    return running !== undefined;
  }

  /**
   * Removes a model: a catalogue model's files (stopping its download and dropping its part), a file
   * found in the models folder, or a custom registration (the user's file itself is left alone).
   */
  async delete(id: string): Promise<void> {
    if (id.startsWith(CUSTOM_PREFIX)) {
      if (!(await this.customModels.remove(id))) throw new ParleyError('not_found', `No custom speech model ${id}`);
      return;
    }
    if (id.startsWith(UNLISTED_PREFIX)) return this.deleteUnlisted(id);
    const entry = this.entry(id);
    await this.cancel(id, { discardPartial: true });
    await Promise.all(entry.files.map((file) => rm(this.paths.file(entry.kind, file.fileName), { force: true })));
  }

  /** Registers a model file the user already has, after checking the engine can load it. Registering the same path again returns the same model. */
  async registerCustom(kind: SpeechModelKind, path: string, options: { label?: string } = {}): Promise<InstalledModel> {
    if (!SPEECH_MODEL_KINDS.includes(kind)) throw new ParleyError('invalid_params', `Unknown speech model kind "${String(kind)}"`);
    const normalised = isAbsolute(path) ? resolve(path) : path;
    await validateCustomModel(kind, normalised);
    const record = await this.customModels.add({
      id: `${CUSTOM_PREFIX}${kind}:${createHash('sha256').update(normalised).digest('hex').slice(0, 16)}`,
      kind,
      path: normalised,
      label: options.label?.trim() || basename(normalised).replace(/\.(bin|onnx)$/, ''),
      registeredAt: new Date().toISOString(),
    });
    return describeCustomModel(record);
  }

  /** Every download's progress, a few times a second, for the backend to broadcast. */
  onProgress(listener: (progress: DownloadProgress) => void): () => void {
    const registration = this.progressListeners.add(listener);
    return () => registration.dispose();
  }

  /** Each download's end: installed, cancelled or failed. */
  onDownloadSettled(listener: (outcome: DownloadOutcome) => void): () => void {
    const registration = this.settledListeners.add(listener);
    return () => registration.dispose();
  }

  private entry(id: string): CatalogueEntry {
    const entry = this.entries.find((candidate) => candidate.id === id);
    if (!entry) throw new ParleyError('not_found', `No speech model ${id} in the catalogue`);
    return entry;
  }

  private start(entry: CatalogueEntry): SharedDownload {
    const download = new SharedDownload(entry.id);
    this.running.set(entry.id, download);
    download.run((signal) => this.run(entry, download, signal));
    return download;
  }

  private async run(entry: CatalogueEntry, download: SharedDownload, signal: AbortSignal): Promise<InstalledModel> {
    const { id, kind } = entry;
    const meter = new ProgressMeter({
      intervalMs: this.progressIntervalMs,
      report: (sample) => {
        const progress = { id, ...sample };
        download.report(progress);
        this.progressListeners.emit(progress);
      },
    });
    try {
      await mkdir(this.paths.dir(kind), { recursive: true });
      const received = entry.files.map(() => 0);
      // The catalogue's figure until the server says exactly.
      const totals = entry.files.map((file) => file.bytes ?? file.approxBytes);
      const report = () => meter.update(sum(received), sum(totals));
      const downloaded: string[] = [];
      for (const [index, file] of entry.files.entries()) {
        const installedBytes = await sizeOf(this.paths.file(kind, file.fileName));
        if (installedBytes !== undefined) {
          received[index] = totals[index] = installedBytes;
          continue;
        }
        const result = await transferToPart({
          url: file.url,
          partPath: this.paths.part(kind, file.fileName),
          expectedBytes: file.bytes,
          expectedSha256: file.sha256,
          fetch: this.fetch,
          signal,
          retry: this.retry,
          stallTimeoutMs: this.stallTimeoutMs,
          onProgress: (bytes, total) => {
            received[index] = bytes;
            if (total !== undefined) totals[index] = total;
            report();
          },
        });
        received[index] = totals[index] = result.bytes;
        downloaded.push(file.fileName);
        report();
      }
      meter.flush();
      if (signal.aborted) throw downloadCancelled(signal.reason);
      // Installed only now that every file is verified; the model file last, so it never appears without its config.
      for (const fileName of downloaded.reverse()) await rename(this.paths.part(kind, fileName), this.paths.file(kind, fileName));
      const model = describeCatalogueEntry(this.paths, entry, await filesIn(this.paths.dir(kind)));
      if (!model) throw new ParleyError('internal', `${id} was downloaded but its files are not in ${this.paths.dir(kind)}`);
      this.settledListeners.emit({ id, outcome: 'installed', model });
      return model;
    } catch (error) {
      this.settledListeners.emit(isCancelled(error) ? { id, outcome: 'cancelled' } : { id, outcome: 'failed', error: error as Error });
      throw error;
    } finally {
      meter.stop();
      if (this.running.get(id) === download) this.running.delete(id);
    }
  }

  private async deleteUnlisted(id: string): Promise<void> {
    // Found through the listing, so an id can only ever reach a file the listing showed, inside our folder.
    const model = (await this.installed()).find((candidate) => candidate.id === id && candidate.source === 'unlisted');
    if (!model) throw new ParleyError('not_found', `No speech model ${id}`);
    await Promise.all(model.files.map((file) => rm(file.path, { force: true })));
  }
}

async function sizeOf(path: string): Promise<number | undefined> {
  const stats = await stat(path).catch(() => undefined);
  return stats?.isFile() ? stats.size : undefined;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
