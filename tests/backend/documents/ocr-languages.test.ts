import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestBackend, type TestBackend } from '../../support/backend-harness';
import { ingest } from './support/documents-client';
import { writePdf } from './support/pdf-writer';
import { scannedPage } from './support/sample-pdfs';

/** tessdata_fast's English from the npm package: served here under other language codes. */
async function englishTraineddata(): Promise<Buffer> {
  const packageDir = dirname(createRequire(import.meta.url).resolve('@tesseract.js-data/eng/package.json'));
  return readFile(join(packageDir, '4.0.0_best_int', 'eng.traineddata.gz'));
}

describe('documents: OCR languages downloaded through the resumable, verified transfer', () => {
  let backend: TestBackend;
  let server: Server;
  let english: Buffer;
  let englishSha256: string;
  const served: string[] = [];

  beforeAll(async () => {
    english = await englishTraineddata();
    englishSha256 = createHash('sha256').update(english).digest('hex');
    // A mirror laid out as the CDN is: /<code>/<code>.traineddata.gz, every code answered with English.
    server = createServer((request, response) => {
      served.push(request.url ?? '');
      if (!/^\/[a-z_]+\/[a-z_]+\.traineddata\.gz$/.test(request.url ?? '')) {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/gzip', 'content-length': english.length }).end(english);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    backend = await startTestBackend();
    await backend.call('settings.set', { key: 'documents.ocr.languageBaseUrl', value: `http://127.0.0.1:${(server.address() as AddressInfo).port}/{lang}/` });
  });
  afterAll(async () => {
    await backend?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  const language = async (code: string) => (await backend.call('documents.ocrLanguages.list', {})).languages.find((entry) => entry.code === code);

  it('lists English as bundled and active, and the catalogue\'s others as not installed', async () => {
    const { languages } = await backend.call('documents.ocrLanguages.list', {});
    expect(languages.find((entry) => entry.code === 'eng')).toMatchObject({ name: 'English', bundled: true, installed: true, active: true });
    expect(languages.find((entry) => entry.code === 'deu')).toMatchObject({ name: 'German', bundled: false, installed: false, active: false, sizeBytes: 1_333_102 });
  });

  it('refuses a download whose bytes are not the catalogue\'s (the mirror serves English as German), keeping nothing', async () => {
    await expect(backend.call('documents.ocrLanguages.install', { code: 'deu' })).rejects.toMatchObject({ code: 'unavailable', message: expect.stringMatching(/^The OCR language deu could not be downloaded from http:\/\/127\.0\.0\.1:\d+\/deu\/deu\.traineddata\.gz: /) });
    expect(served).toContain('/deu/deu.traineddata.gz');
    expect(await language('deu')).toMatchObject({ installed: false });
  });

  it('refuses a code the catalogue does not know unless its checksum is given', async () => {
    await expect(backend.call('documents.ocrLanguages.install', { code: 'xyz' })).rejects.toMatchObject({ code: 'invalid_params', hint: expect.stringMatching(/SHA-256/) });
    await expect(backend.call('documents.ocrLanguages.install', { code: '../etc' })).rejects.toMatchObject({ code: 'invalid_params' });
  });

  it('installs a language with its checksum, reads scans with it once chosen, and removes it', async () => {
    const { languages } = await backend.call('documents.ocrLanguages.install', { code: 'xyz', sha256: englishSha256 });
    expect(languages.find((entry) => entry.code === 'xyz')).toMatchObject({ name: 'xyz', installed: true, active: false, sizeBytes: english.length });

    // Chosen but not installed: the scan fails saying which language is missing and what to do.
    await backend.call('settings.set', { key: 'documents.ocr.languages', value: ['fra'] });
    const missing = await ingest(backend, writePdf([await scannedPage(['Notice in French', 'nothing to read'])]), 'avis.pdf', 60_000);
    expect(missing.status).toBe('failed');
    expect(missing.error).toMatch(/OCR language fra is not installed.*Download it in Documents/);

    // The downloaded file is what tesseract reads: a scan OCR'd with "xyz" alone.
    await backend.call('settings.set', { key: 'documents.ocr.languages', value: ['xyz'] });
    expect(await language('xyz')).toMatchObject({ active: true });
    const scan = await ingest(backend, writePdf([await scannedPage(['Scanned with a downloaded language', 'The spare keys are in the safe'])]), 'keys.pdf', 60_000);
    expect(scan).toMatchObject({ status: 'ready', ocrPages: [1] });
    const { passages } = await backend.call('documents.search', { query: 'spare keys safe' });
    expect(passages[0]).toMatchObject({ documentId: scan.id, page: 1, ocr: true });

    await backend.call('documents.ocrLanguages.remove', { code: 'xyz' });
    expect(await language('xyz')).toBeUndefined();
    expect((await backend.call('settings.list', {})).settings['documents.ocr.languages']).toEqual(['eng']);
    await expect(backend.call('documents.ocrLanguages.remove', { code: 'eng' })).rejects.toMatchObject({ code: 'conflict' });
  }, 120_000);
});
