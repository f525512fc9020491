import { ParleyError } from '#protocol';
import captureWorkletUrl from './capture-worklet.ts?worker&url';
import playbackWorkletUrl from './playback-worklet.ts?worker&url';

export const WORKLET_URLS = { capture: captureWorkletUrl, playback: playbackWorkletUrl } as const;

let context: AudioContext | null = null;
const loadedModules = new WeakMap<AudioContext, Map<string, Promise<void>>>();

/**
 * The console's one AudioContext, for capture and playback (so the echo canceller hears what is
 * played). Call it from a user gesture the first time: browsers keep a context suspended otherwise.
 */
export function audioContext(): AudioContext {
  if (!context || context.state === 'closed') {
    try {
      context = new AudioContext({ latencyHint: 'interactive' });
    } catch (error) {
      throw new ParleyError('unavailable', `Audio could not start: ${(error as Error).message}`, {
        hint: 'Check that an audio device is available, then reload the console.',
        cause: error,
      });
    }
  }
  if (context.state === 'suspended') void context.resume().catch(() => undefined);
  return context;
}

export async function loadWorklet(target: AudioContext, url: string): Promise<void> {
  let modules = loadedModules.get(target);
  if (!modules) loadedModules.set(target, (modules = new Map()));
  let loading = modules.get(url);
  if (!loading) {
    if (!target.audioWorklet) {
      throw new ParleyError('unavailable', 'The browser offers audio processing only to secure pages', {
        hint: 'Open the console over https://, or on this machine through http://127.0.0.1 or an SSH tunnel to it.',
      });
    }
    loading = target.audioWorklet.addModule(url).catch((error: unknown) => {
      modules.delete(url);
      throw new ParleyError('internal', `The audio processor could not be loaded: ${(error as Error).message}`, {
        hint: 'Reload the console; if it persists, the build is missing its worklet files.',
        cause: error,
      });
    });
    modules.set(url, loading);
  }
  return loading;
}
