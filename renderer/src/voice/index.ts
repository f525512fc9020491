/** Voice in the console: the mic control the Conversation panel shows, and what the Voice panel uses. */
export { MicControl } from './MicControl';
export { LevelMeter } from './LevelMeter';
export { useVoiceStore, useMicLevelStore } from './voice-store';
export { voiceSession } from './session';
export { useFollowVolumeSetting } from './use-volume-setting';
export { startMicTest, stopMicTest, restartMicTest, useMicTestStore } from './mic-test';
export { chosenMicrophoneId, rememberMicrophone, enumerateMicrophones, effectiveMicrophoneId, type Microphone } from './microphones';
export { previewVoice, stopPreview } from './preview';
export { openChosenMicrophone, type MicrophoneCapture } from './capture';
