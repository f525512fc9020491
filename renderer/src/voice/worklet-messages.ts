/** What the main thread and the worklets say to each other; both sides import this, so no side effects here. */
export const CAPTURE_PROCESSOR = 'parley-capture';
export const PLAYBACK_PROCESSOR = 'parley-playback';

export interface CaptureOptions {
  outputRate: number;
  chunkSamples: number;
}
export type CaptureCommand = { type: 'flush' };
export type CaptureMessage = { type: 'chunk'; pcm: Int16Array } | { type: 'flushed' };

export type PlaybackCommand =
  | { type: 'start'; sampleRate: number }
  | { type: 'pcm'; pcm: Int16Array }
  /** The last frame was sent: play the rest out. */
  | { type: 'end' }
  /** Drop what is queued now (a short fade avoids a click). */
  | { type: 'stop' };
export type PlaybackMessage = { type: 'playing'; playing: boolean };
