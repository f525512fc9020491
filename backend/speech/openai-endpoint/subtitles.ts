import type { Transcript } from '../stt';

/** SubRip or WebVTT cues from the transcript's segments (one cue for the whole text when it has none). */
export function formatSubtitles(transcript: Transcript, format: 'srt' | 'vtt', durationSeconds: number): string {
  const segments = transcript.segments.length ? transcript.segments : transcript.text ? [{ startMs: 0, endMs: durationSeconds * 1000, text: transcript.text }] : [];
  const separator = format === 'srt' ? ',' : '.';
  const cues = segments.map((segment, index) => {
    const timing = `${timestamp(segment.startMs, separator)} --> ${timestamp(segment.endMs, separator)}`;
    return format === 'srt' ? `${index + 1}\n${timing}\n${segment.text.trim()}\n` : `${timing}\n${segment.text.trim()}\n`;
  });
  return format === 'srt' ? cues.join('\n') : `WEBVTT\n\n${cues.join('\n')}`;
}

function timestamp(ms: number, separator: string): string {
  const total = Math.max(0, Math.round(ms));
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor(total / 60_000) % 60;
  const seconds = Math.floor(total / 1000) % 60;
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  return `${pad(hours)}:${pad(minutes)}:${pad(seconds)}${separator}${pad(total % 1000, 3)}`;
}
