import { describe, expect, it } from 'vitest';
import { chunkPage } from '../../../backend/documents/ingest/chunk-page';
import { toReadingOrder, type PlacedText } from '../../../backend/documents/ingest/reading-order';

const at = (text: string, x: number, y: number, width = text.length * 5, height = 10): PlacedText => ({ text, x, y, width, height });

describe('toReadingOrder', () => {
  it('reads lines top to bottom and runs on one line left to right, whatever order they came in', () => {
    expect(toReadingOrder([at('second line', 50, 680), at('world', 110, 700), at('hello', 50, 700)])).toBe('hello world\nsecond line');
  });

  it('reads columns of prose one after the other, with a heading above and a footer below them', () => {
    const left = ['the left column begins here and', 'continues on its second line'];
    const right = ['the right column starts at top', 'and ends on its second line too'];
    const items = [
      at('A heading across both of the columns of this page', 50, 760, 480),
      at(left[0]!, 50, 740, 220),
      at(right[0]!, 310, 740, 220),
      at(left[1]!, 50, 726, 210),
      at(right[1]!, 310, 726, 220),
      at('A footer across the whole width of the text area', 50, 60, 480),
    ];
    expect(toReadingOrder(items).split('\n')).toEqual(['A heading across both of the columns of this page', ...left, ...right, 'A footer across the whole width of the text area']);
  });

  it('keeps table rows together: short cells are not columns', () => {
    const items = [at('Model', 72, 740), at('Price', 200, 740), at('Aquatherm 24', 72, 720), at('1890 EUR', 200, 720)];
    expect(toReadingOrder(items)).toBe('Model Price\nAquatherm 24 1890 EUR');
  });

  it('joins a word hyphenated across lines', () => {
    expect(toReadingOrder([at('the warr-', 50, 700), at('anty covers parts', 50, 686)])).toBe('the warranty covers parts');
  });
});

describe('chunkPage', () => {
  it('cuts at sentence boundaries into passages no longer than the target, losing no word', () => {
    const sentences = Array.from({ length: 40 }, (_, i) => `Sentence number ${i} says something about boilers.`);
    const chunks = chunkPage(sentences.join(' '), 300);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.every((chunk) => chunk.length <= 300)).toBe(true);
    expect(chunks.every((chunk) => chunk.endsWith('.'))).toBe(true);
    expect(chunks.join(' ')).toBe(sentences.join(' '));
  });

  it('splits a sentence longer than the target at word boundaries', () => {
    const long = Array.from({ length: 200 }, (_, i) => `word${i}`).join(' ');
    const chunks = chunkPage(long, 100);
    expect(chunks.every((chunk) => chunk.length <= 100)).toBe(true);
    expect(chunks.join(' ')).toBe(long);
  });
});
