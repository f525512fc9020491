import { controlClient } from '../connection';
import { audioContext } from './audio-context';
import { sharedPlayer } from './shared-player';

/** Speaks a text with the configured voice (speech.synthesize) at the configured volume. */
export async function previewVoice(text: string, options: { signal?: AbortSignal; onPlaying?: () => void } = {}): Promise<void> {
  audioContext(); // now, while the click still counts as a user gesture
  const { wavBase64 } = await controlClient.request('speech.synthesize', { text }, { signal: options.signal, timeoutMs: 60_000 });
  if (options.signal?.aborted) return;
  options.onPlaying?.();
  await sharedPlayer().playWav(base64ToBytes(wavBase64));
}

export function stopPreview(): void {
  sharedPlayer().stopPreview();
}

export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
