import { navigateTo } from '../app/navigation';
import { controlClient } from '../connection';
import { reportError } from '../errors';
import { audioContext } from './audio-context';
import { openChosenMicrophone } from './capture';
import { stopMicTest } from './mic-test';
import { chosenMicrophoneId } from './microphones';
import { sharedPlayer } from './shared-player';
import { VoiceSession } from './voice-session';
import { meterChunk, rememberVoiceMode, resetMicLevel, useVoiceStore } from './voice-store';

/** The console's one voice session, over its one connection; what it shows is the voice store. */
export const voiceSession = new VoiceSession({
  client: controlClient,
  store: useVoiceStore,
  openMicrophone: (handlers) => openChosenMicrophone(chosenMicrophoneId(), handlers),
  player: sharedPlayer,
  unlockAudio: () => void audioContext(),
  stopMicTest,
  meterChunk,
  resetMicLevel,
  rememberVoiceMode,
  reportError,
  navigateTo,
});
