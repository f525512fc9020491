import type { TranscriptSegment } from './speech-to-text-engine';

/**
 * One line of whisper.cpp's CLI output: `[00:00:01.240 --> 00:00:02.410]  ` and the segment's text,
 * which starts with a space when it starts a word (" alpha"), not when it continues one ("ing").
 */
const SEGMENT_LINE = /^\[(\d+):(\d\d):(\d\d)\.(\d\d\d) --> (\d+):(\d\d):(\d\d)\.(\d\d\d)\] {2}(.*)$/;

export function parseSegmentLine(line: string): TranscriptSegment | undefined {
  const match = SEGMENT_LINE.exec(line.trimEnd());
  if (!match) return undefined;
  const [, h0, m0, s0, ms0, h1, m1, s1, ms1, text] = match;
  return { startMs: milliseconds(h0!, m0!, s0!, ms0!), endMs: milliseconds(h1!, m1!, s1!, ms1!), text: text! };
}

/** The segments' texts joined as whisper wrote them (word-level segments keep their spaces). */
export function joinSegments(segments: TranscriptSegment[]): string {
  return segments
    .map((segment) => segment.text)
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
}

/** What the CLI reports on stderr: its model load time and the language it transcribed as. */
export function parseCliDiagnostics(stderr: string): { loadMs?: number; language?: string } {
  const load = /load time =\s*([\d.]+) ms/.exec(stderr);
  const detected = /auto-detected language: (\w+)/.exec(stderr) ?? /lang = (\w+)/.exec(stderr);
  return { loadMs: load ? Number(load[1]) : undefined, language: detected?.[1] };
}

function milliseconds(hours: string, minutes: string, seconds: string, millis: string): number {
  return ((Number(hours) * 60 + Number(minutes)) * 60 + Number(seconds)) * 1000 + Number(millis);
}
