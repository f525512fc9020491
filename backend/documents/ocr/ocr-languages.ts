import { copyFile, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ParleyError, type OcrLanguage } from '#protocol';
import { DEFAULT_RETRY_POLICY, transferToPart, type RetryPolicy } from '../../platform/downloads';
import type { SettingsRepository } from '../../store';
import { englishOcrData } from '../bundled-files';
import { BUNDLED_OCR_LANGUAGE, OCR_LANGUAGE_CATALOGUE } from './ocr-language-catalogue';

const SUFFIX = '.traineddata.gz';

export interface OcrLanguageOptions {
  /** `<data>/models/tessdata`: the downloaded languages, and a copy of English beside them. */
  directory: string;
  settings: SettingsRepository;
  /** Tells open consoles a setting changed here (settings.changed), as settings.set does. */
  settingChanged(key: 'documents.ocr.languages', value: string[]): void;
  fetch?: typeof fetch;
  retry?: RetryPolicy;
}

/** What the OCR engine loads: tesseract's language string parts and the one folder they are all in. */
export interface OcrLanguageSelection {
  codes: string[];
  langPath: string;
}

/**
 * OCR languages beyond the bundled English: listed from the folder, downloaded with the platform's
 * resumable transfer (verified by SHA-256 before it is installed under its name) from
 * `documents.ocr.languageBaseUrl`, and chosen with `documents.ocr.languages`.
 */
export class OcrLanguages {
  private readonly installing = new Map<string, Promise<void>>();

  constructor(private readonly options: OcrLanguageOptions) {}

  async list(): Promise<OcrLanguage[]> {
    const active = new Set(await this.options.settings.get('documents.ocr.languages'));
    const installed = await this.installedSizes();
    const codes = [...new Set([...Object.keys(OCR_LANGUAGE_CATALOGUE), ...installed.keys()])];
    return codes.map((code) => ({
      code,
      name: OCR_LANGUAGE_CATALOGUE[code]?.name ?? code,
      bundled: code === BUNDLED_OCR_LANGUAGE,
      installed: code === BUNDLED_OCR_LANGUAGE || installed.has(code),
      active: active.has(code),
      sizeBytes: installed.get(code) ?? OCR_LANGUAGE_CATALOGUE[code]?.sizeBytes ?? null,
    }));
  }

  /** Downloads `<code>.traineddata.gz`; a second call for the same code joins the first. */
  install(code: string, sha256: string | undefined, signal: AbortSignal): Promise<void> {
    if (code === BUNDLED_OCR_LANGUAGE) return Promise.resolve();
    let running = this.installing.get(code);
    if (!running) {
      running = this.download(code, sha256, signal).finally(() => this.installing.delete(code));
      this.installing.set(code, running);
    }
    return running;
  }

  /** Deletes a downloaded language and stops using it (English, bundled, stays). */
  async remove(code: string): Promise<void> {
    if (code === BUNDLED_OCR_LANGUAGE) throw new ParleyError('conflict', 'English ships with Parley and cannot be removed', { hint: 'Untick it instead to read scans in other languages only.' });
    await rm(this.pathOf(code), { force: true });
    const chosen = await this.options.settings.get('documents.ocr.languages');
    if (!chosen.includes(code)) return;
    const rest = chosen.filter((candidate) => candidate !== code);
    const stored = await this.options.settings.set('documents.ocr.languages', rest.length > 0 ? rest : [BUNDLED_OCR_LANGUAGE]);
    this.options.settingChanged('documents.ocr.languages', stored);
  }

  /** The chosen languages for the next OCR, each installed; refuses with what to do when one is not. */
  async selection(): Promise<OcrLanguageSelection> {
    const codes = await this.options.settings.get('documents.ocr.languages');
    if (codes.length === 1 && codes[0] === BUNDLED_OCR_LANGUAGE) return { codes, langPath: englishOcrData().langPath };
    const installed = await this.installedSizes();
    const missing = codes.filter((code) => code !== BUNDLED_OCR_LANGUAGE && !installed.has(code));
    if (missing.length > 0) {
      throw new ParleyError('not_found', `The OCR language${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not installed`, {
        hint: 'Download it in Documents → OCR languages (or remove it from documents.ocr.languages), then upload the file again.',
      });
    }
    // tesseract.js reads every language from one folder: English is copied beside the downloaded ones.
    if (codes.includes(BUNDLED_OCR_LANGUAGE) && !installed.has(BUNDLED_OCR_LANGUAGE)) {
      await mkdir(this.options.directory, { recursive: true });
      await copyFile(join(englishOcrData().langPath, `${BUNDLED_OCR_LANGUAGE}${SUFFIX}`), this.pathOf(BUNDLED_OCR_LANGUAGE));
    }
    return { codes, langPath: this.options.directory };
  }

  private async download(code: string, sha256: string | undefined, signal: AbortSignal): Promise<void> {
    const expectedSha256 = sha256?.toLowerCase() ?? OCR_LANGUAGE_CATALOGUE[code]?.sha256;
    if (!expectedSha256) {
      throw new ParleyError('invalid_params', `"${code}" is not in Parley's list of OCR languages, so its download cannot be checked`, {
        hint: "Give the SHA-256 of its .traineddata.gz (documents.ocrLanguages.install {code, sha256}) to install it anyway.",
      });
    }
    if (await this.installedSize(code)) return;
    const base = await this.options.settings.get('documents.ocr.languageBaseUrl');
    const folder = base.replaceAll('{lang}', encodeURIComponent(code));
    const url = new URL(`${code}${SUFFIX}`, folder.endsWith('/') ? folder : `${folder}/`).href;
    await mkdir(this.options.directory, { recursive: true });
    const partPath = `${this.pathOf(code)}.part`;
    try {
      await transferToPart({
        url,
        partPath,
        expectedBytes: sha256 ? undefined : OCR_LANGUAGE_CATALOGUE[code]?.sizeBytes,
        expectedSha256,
        fetch: this.options.fetch ?? fetch,
        signal,
        retry: this.options.retry ?? DEFAULT_RETRY_POLICY,
        stallTimeoutMs: 30_000,
        onProgress: () => undefined,
      });
    } catch (error) {
      if (error instanceof ParleyError) throw new ParleyError(error.code, `The OCR language ${code} could not be downloaded from ${url}: ${error.message}`, { hint: error.hint ?? 'Check documents.ocr.languageBaseUrl and the connection.', details: error.details, cause: error });
      throw error;
    }
    await rename(partPath, this.pathOf(code));
  }

  private pathOf(code: string): string {
    return join(this.options.directory, `${code}${SUFFIX}`);
  }

  private async installedSize(code: string): Promise<number | undefined> {
    const stats = await stat(this.pathOf(code)).catch(() => undefined);
    return stats?.isFile() ? stats.size : undefined;
  }

  /** Downloaded languages by code, with their sizes. */
  private async installedSizes(): Promise<Map<string, number>> {
    const names = await readdir(this.options.directory).catch(() => [] as string[]);
    const sizes = new Map<string, number>();
    for (const name of names) {
      if (!name.endsWith(SUFFIX)) continue;
      const code = name.slice(0, -SUFFIX.length);
      const size = await this.installedSize(code);
      if (size !== undefined) sizes.set(code, size);
    }
    return sizes;
  }
}
