import { describe, expect, it } from 'vitest';
import { audioContextFor } from '../../../../backend/speech/stt';
import { joinSegments, parseCliDiagnostics, parseSegmentLine } from '../../../../backend/speech/stt/whisper-cli-output';

describe('audio_ctx for an utterance', () => {
  it('covers the utterance at 50 encoder positions a second, plus a margin, capped at the model', () => {
    expect(audioContextFor(16_000 * 3)).toBe(150 + 64);
    expect(audioContextFor(16_000 * 10)).toBe(500 + 64);
    expect(audioContextFor(16_000 * 0.5)).toBe(25 + 64);
    expect(audioContextFor(16_000 * 29)).toBe(1500);
    expect(audioContextFor(16_000 * 120)).toBe(1500);
    expect(audioContextFor(16_000 * 10, 448)).toBe(448);
  });
});

describe("whisper.cpp CLI output", () => {
  it('reads segment lines, keeping the space that starts a word and not the one that continues it', () => {
    const lines = ['[00:00:00.000 --> 00:00:00.410]   Book', '[00:00:00.410 --> 00:00:00.800]  ing', '[00:01:02.500 --> 00:01:03.000]   now.'];
    const segments = lines.map((line) => parseSegmentLine(line)!);
    expect(segments[2]).toEqual({ startMs: 62_500, endMs: 63_000, text: ' now.' });
    expect(joinSegments(segments)).toBe('Booking now.');
    expect(parseSegmentLine('whisper_print_timings: load time = 12 ms')).toBeUndefined();
  });

  it('reads the load time and the language from stderr', () => {
    const stderr = 'whisper_full_with_state: auto-detected language: fr (p = 0.98)\nwhisper_print_timings:     load time =    96.67 ms\n';
    expect(parseCliDiagnostics(stderr)).toEqual({ loadMs: 96.67, language: 'fr' });
    expect(parseCliDiagnostics("main: processing 'a.wav' (100 samples, 0.1 sec), lang = de, task = transcribe")).toEqual({ loadMs: undefined, language: 'de' });
  });
});
