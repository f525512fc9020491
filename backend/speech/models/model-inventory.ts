import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { CustomModelRecord } from './custom-model-registry';
import { type ModelPaths, PART_SUFFIX } from './model-paths';
import type { CatalogueEntry, InstalledFile, InstalledModel, SpeechModelKind } from './model-types';

/** What is on disk: catalogue models, files put in the models folder by hand, and the user's registered files. */
export async function listInstalledModels(paths: ModelPaths, catalogue: readonly CatalogueEntry[], custom: readonly CustomModelRecord[]): Promise<InstalledModel[]> {
  const [whisperFiles, piperFiles] = await Promise.all([filesIn(paths.dir('whisper')), filesIn(paths.dir('piper'))]);
  const onDisk: Record<SpeechModelKind, Map<string, number>> = { whisper: whisperFiles, piper: piperFiles };

  const installed: InstalledModel[] = [];
  const claimed = new Set<string>();
  for (const entry of catalogue) {
    const model = describeCatalogueEntry(paths, entry, onDisk[entry.kind]);
    if (!model) continue;
    installed.push(model);
    for (const file of entry.files) claimed.add(`${entry.kind}/${file.fileName}`);
  }
  for (const [name, bytes] of whisperFiles) {
    if (name.endsWith('.bin') && !claimed.has(`whisper/${name}`)) installed.push(unlistedWhisper(paths, name, bytes));
  }
  for (const [name, bytes] of piperFiles) {
    const configBytes = piperFiles.get(`${name}.json`);
    // A voice without its config cannot speak: left out, as an unfinished copy would be.
    if (name.endsWith('.onnx') && configBytes !== undefined && !claimed.has(`piper/${name}`)) installed.push(unlistedPiper(paths, name, bytes, configBytes));
  }
  installed.push(...(await Promise.all(custom.map(describeCustomModel))));
  return installed;
}

/** The installed model for a catalogue entry, or undefined unless every one of its files is in place. */
export function describeCatalogueEntry(paths: ModelPaths, entry: CatalogueEntry, onDisk: Map<string, number>): InstalledModel | undefined {
  const files: InstalledFile[] = [];
  for (const file of entry.files) {
    const bytes = onDisk.get(file.fileName);
    if (bytes === undefined) return undefined;
    files.push({ path: paths.file(entry.kind, file.fileName), bytes });
  }
  return {
    id: entry.id,
    kind: entry.kind,
    source: 'catalogue',
    catalogueId: entry.id,
    label: entry.label,
    modelPath: files[0]!.path,
    ...(entry.kind === 'piper' && files[1] ? { configPath: files[1].path } : {}),
    files,
    bytes: sum(files),
  };
}

export async function describeCustomModel(record: CustomModelRecord): Promise<InstalledModel> {
  const paths = record.kind === 'piper' ? [record.path, `${record.path}.json`] : [record.path];
  const sizes = await Promise.all(paths.map(sizeOf));
  const files: InstalledFile[] = paths.map((path, index) => ({ path, bytes: sizes[index] ?? 0 }));
  return {
    id: record.id,
    kind: record.kind,
    source: 'custom',
    label: record.label,
    modelPath: record.path,
    ...(record.kind === 'piper' ? { configPath: `${record.path}.json` } : {}),
    files,
    bytes: sum(files),
    ...(sizes.some((size) => size === undefined) ? { missing: true } : {}),
  };
}

/** Ids of files found in the models folder that no catalogue entry claims. */
export const UNLISTED_PREFIX = 'file:';

export function unlistedId(kind: SpeechModelKind, fileName: string): string {
  return `${UNLISTED_PREFIX}${kind}:${fileName}`;
}

function unlistedWhisper(paths: ModelPaths, name: string, bytes: number): InstalledModel {
  const path = paths.file('whisper', name);
  return { id: unlistedId('whisper', name), kind: 'whisper', source: 'unlisted', label: name, modelPath: path, files: [{ path, bytes }], bytes };
}

function unlistedPiper(paths: ModelPaths, name: string, bytes: number, configBytes: number): InstalledModel {
  const path = paths.file('piper', name);
  const files = [
    { path, bytes },
    { path: `${path}.json`, bytes: configBytes },
  ];
  return { id: unlistedId('piper', name), kind: 'piper', source: 'unlisted', label: name.replace(/\.onnx$/, ''), modelPath: path, configPath: `${path}.json`, files, bytes: sum(files) };
}

/** Complete regular files in a folder, by name; downloads still in progress (`.part`) and temporaries are not models. */
export async function filesIn(dir: string): Promise<Map<string, number>> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw error;
  }
  const files = new Map<string, number>();
  await Promise.all(
    names
      .filter((name) => !name.endsWith(PART_SUFFIX) && !name.startsWith('.'))
      .map(async (name) => {
        const stats = await stat(join(dir, name)).catch(() => undefined);
        if (stats?.isFile()) files.set(name, stats.size);
      }),
  );
  return new Map([...files].sort(([a], [b]) => a.localeCompare(b)));
}

async function sizeOf(path: string): Promise<number | undefined> {
  const stats = await stat(path).catch(() => undefined);
  return stats?.isFile() ? stats.size : undefined;
}

function sum(files: readonly InstalledFile[]): number {
  return files.reduce((total, file) => total + file.bytes, 0);
}
