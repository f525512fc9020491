import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createZip } from '../../../backend/diagnostics/bundle/zip-archive';
import { readZip } from './read-zip';

describe('the zip writer', () => {
  it('writes entries an unzip reads back byte for byte: text, UTF-8 names, binary, empty', () => {
    const binary = randomBytes(100_000);
    const text = 'line\n'.repeat(10_000);
    const zip = createZip([
      { name: 'README.txt', data: text },
      { name: 'logs/journal-é-🔑.log', data: 'ünïcödé' },
      { name: 'random.bin', data: binary },
      { name: 'empty.txt', data: '' },
    ]);
    const files = readZip(zip);
    expect([...files.keys()]).toEqual(['README.txt', 'logs/journal-é-🔑.log', 'random.bin', 'empty.txt']);
    expect(files.get('README.txt')!.toString()).toBe(text);
    expect(files.get('logs/journal-é-🔑.log')!.toString()).toBe('ünïcödé');
    expect(files.get('random.bin')!.equals(binary)).toBe(true);
    expect(files.get('empty.txt')!.length).toBe(0);
    // Repetitive text is compressed, not stored.
    expect(zip.length).toBeLessThan(text.length / 10 + binary.length + 2_000);
  });

  it('stamps entries with the DOS date and time given', () => {
    const zip = createZip([{ name: 'a.txt', data: 'a' }], new Date(2026, 2, 14, 15, 9, 26));
    const date = zip.readUInt16LE(12);
    const time = zip.readUInt16LE(10);
    expect({ year: 1980 + (date >> 9), month: (date >> 5) & 15, day: date & 31 }).toEqual({ year: 2026, month: 3, day: 14 });
    expect({ hours: time >> 11, minutes: (time >> 5) & 63, seconds: (time & 31) * 2 }).toEqual({ hours: 15, minutes: 9, seconds: 26 });
  });
});
