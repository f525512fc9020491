import { describe, expect, it } from 'vitest';
import { extractPdfText, PdfOpenError } from '../../../backend/documents/ingest/pdf-text-extraction';
import { seededRandom } from '../base/audio/signals';
import { multiPagePdf } from './support/sample-pdfs';

const INPUTS = 12;

/** Damaged copies of a valid PDF: cut at a random byte, random bytes overwritten, or noise behind a PDF header. */
function damaged(seed: number): Buffer {
  const random = seededRandom(seed);
  const valid = multiPagePdf();
  switch (seed % 3) {
    case 0:
      return valid.subarray(0, Math.floor(random() * valid.length));
    case 1: {
      const copy = Buffer.from(valid);
      for (let i = 0; i < 40; i++) copy[Math.floor(random() * copy.length)] = Math.floor(random() * 256);
      return copy;
    }
    default:
      return Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from(Array.from({ length: 4000 }, () => Math.floor(random() * 256)))]);
  }
}

describe('extractPdfText on damaged files', () => {
  it('either reads pages or refuses with a PdfOpenError: never a crash, never a hang', async () => {
    const outcomes: string[] = [];
    for (let seed = 1; seed <= INPUTS; seed++) {
      const pages: number[] = [];
      try {
        for await (const event of extractPdfText(new Uint8Array(damaged(seed)), { renderBlankPages: false, signal: AbortSignal.timeout(15_000) })) {
          if (event.type === 'page') pages.push(event.page);
        }
        outcomes.push(`read ${pages.length}`);
      } catch (error) {
        expect(error).toBeInstanceOf(PdfOpenError);
        outcomes.push((error as PdfOpenError).reason);
      }
    }
    expect(outcomes).toHaveLength(INPUTS);
    // Noise behind a header is never mistaken for a document with text.
    expect(outcomes.filter((_, index) => (index + 1) % 3 === 2).every((outcome) => outcome !== 'read 3')).toBe(true);
  }, 120_000);
});
