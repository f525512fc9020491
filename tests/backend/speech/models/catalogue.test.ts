import { describe, expect, it } from 'vitest';
import { PIPER_BASE_URL, SpeechModelManager, speechModelCatalogue, WHISPER_BASE_URL } from '../../../../backend/speech/models';

describe('speech model catalogue', () => {
  const catalogue = speechModelCatalogue();
  const whisper = catalogue.filter((entry) => entry.kind === 'whisper');
  const piper = catalogue.filter((entry) => entry.kind === 'piper');

  it('offers tiny, base and small whisper models, English-only and multilingual, full and quantised', () => {
    expect(whisper.map((entry) => entry.id)).toEqual(
      ['tiny', 'base', 'small'].flatMap((size) => [`${size}.en`, size].flatMap((name) => [name, `${name}-q5_1`, `${name}-q8_0`]).map((name) => `whisper:${name}`)),
    );
    expect(whisper.find((entry) => entry.id === 'whisper:base.en-q5_1')).toEqual({
      id: 'whisper:base.en-q5_1',
      kind: 'whisper',
      label: 'Whisper Base (English) q5_1',
      language: 'en',
      quantisation: 'q5_1',
      files: [
        {
          fileName: 'ggml-base.en-q5_1.bin',
          url: 'https://huggingface.co/ggerganov/whisper.cpp/resolve/main/ggml-base.en-q5_1.bin',
          bytes: 59_721_011,
          approxBytes: 59_721_011,
          sha256: '4baf70dd0d7c4247ba2b81fafd9c01005ac77c2f9ef064e00dcf195d0e2fdd2f',
        },
      ],
      approxBytes: 59_721_011,
    });
  });

  it('gives every whisper model its exact size and a well-formed SHA-256', () => {
    for (const entry of whisper) {
      const [file] = entry.files;
      expect(entry.files).toHaveLength(1);
      expect(file!.url).toBe(`${WHISPER_BASE_URL}/${file!.fileName}`);
      expect(file!.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(file!.bytes).toBe(file!.approxBytes);
      expect(entry.language).toBe(entry.id.includes('.en') ? 'en' : 'multilingual');
    }
    expect(new Set(whisper.map((entry) => entry.files[0]!.sha256)).size).toBe(whisper.length);
    // Quantised models are smaller than the full-precision model they come from.
    const bytesOf = (id: string) => whisper.find((entry) => entry.id === id)!.approxBytes;
    expect(bytesOf('whisper:small-q5_1')).toBeLessThan(bytesOf('whisper:small-q8_0'));
    expect(bytesOf('whisper:small-q8_0')).toBeLessThan(bytesOf('whisper:small'));
  });

  it('offers Piper voices as two files each, with approximate sizes and no invented checksum', () => {
    expect(piper.map((entry) => entry.id)).toEqual([
      'piper:en_US-lessac-medium',
      'piper:en_GB-alan-medium',
      'piper:de_DE-thorsten-medium',
      'piper:fr_FR-siwis-medium',
      'piper:es_ES-davefx-medium',
    ]);
    expect(piper[2]!.files.map((file) => file.url)).toEqual([
      `${PIPER_BASE_URL}/de/de_DE/thorsten/medium/de_DE-thorsten-medium.onnx`,
      `${PIPER_BASE_URL}/de/de_DE/thorsten/medium/de_DE-thorsten-medium.onnx.json`,
    ]);
    for (const entry of piper) {
      expect(entry.files.map((file) => file.fileName)).toEqual([`${entry.id.slice('piper:'.length)}.onnx`, `${entry.id.slice('piper:'.length)}.onnx.json`]);
      for (const file of entry.files) {
        expect(file.sha256).toBeUndefined();
        expect(file.bytes).toBeUndefined();
        expect(file.approxBytes).toBeGreaterThan(0);
      }
    }
  });

  it('has unique ids and file names', () => {
    expect(new Set(catalogue.map((entry) => entry.id)).size).toBe(catalogue.length);
    const files = catalogue.flatMap((entry) => entry.files.map((file) => `${entry.kind}/${file.fileName}`));
    expect(new Set(files).size).toBe(files.length);
  });

  it('downloads from other base URLs when told to, keeping the layout below them', () => {
    const mirrored = speechModelCatalogue({ whisper: 'http://127.0.0.1:9/whisper/', piper: 'http://127.0.0.1:9/piper' });
    expect(mirrored.find((entry) => entry.id === 'whisper:tiny')!.files[0]!.url).toBe('http://127.0.0.1:9/whisper/ggml-tiny.bin');
    expect(mirrored.find((entry) => entry.id === 'piper:fr_FR-siwis-medium')!.files[1]!.url).toBe(
      'http://127.0.0.1:9/piper/fr/fr_FR/siwis/medium/fr_FR-siwis-medium.onnx.json',
    );
    const manager = new SpeechModelManager({ dataDir: '/nonexistent', baseUrls: { whisper: 'http://mirror.test/w' } });
    expect(manager.catalogue().find((entry) => entry.id === 'whisper:small.en')!.files[0]!.url).toBe('http://mirror.test/w/ggml-small.en.bin');
    expect(manager.catalogue().find((entry) => entry.kind === 'piper')!.files[0]!.url.startsWith(PIPER_BASE_URL)).toBe(true);
  });
});
