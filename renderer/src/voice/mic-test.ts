import { create } from 'zustand';
import { reportError } from '../errors';
import { openChosenMicrophone, type MicrophoneCapture } from './capture';
import { chosenMicrophoneId } from './microphones';
import { meterChunk, resetMicLevel } from './voice-store';

/** The Voice panel's "Test" button: the microphone feeds the level meter only, nothing is sent. */
export const useMicTestStore = create<{ testing: boolean; device: string }>(() => ({ testing: false, device: '' }));

let capture: MicrophoneCapture | null = null;
let opening = 0;

export async function startMicTest(): Promise<void> {
  if (useMicTestStore.getState().testing) return;
  const current = ++opening;
  useMicTestStore.setState({ testing: true, device: '' });
  try {
    const opened = await openChosenMicrophone(chosenMicrophoneId(), { onChunk: meterChunk, onEnded: stopMicTest });
    if (current !== opening) return opened.close();
    capture = opened;
    useMicTestStore.setState({ device: opened.deviceLabel });
  } catch (error) {
    if (current === opening) useMicTestStore.setState({ testing: false });
    reportError('Microphone', error);
  }
}

export function stopMicTest(): void {
  opening++;
  capture?.close();
  capture = null;
  if (useMicTestStore.getState().testing) resetMicLevel();
  useMicTestStore.setState({ testing: false, device: '' });
}

/** Reopens the test with the newly chosen device. */
export async function restartMicTest(): Promise<void> {
  if (!useMicTestStore.getState().testing) return;
  stopMicTest();
  await startMicTest();
}
