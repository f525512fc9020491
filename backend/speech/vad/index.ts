/**
 * Voice-activity detection on the console's capture stream (16 kHz mono PCM16): Silero v5 through
 * onnxruntime-node, one shared session per process, one {@link VoiceActivityDetector} per stream.
 */
export {
  SILERO_WINDOW_SAMPLES,
  SileroVad,
  loadSileroSession,
  sileroModelPath,
  type SileroSession,
  type SpeechProbabilityModel,
} from './silero-vad';
export { HYSTERESIS, MAX_POSITIVE_THRESHOLD, PLAYBACK_THRESHOLD_RAISE, vadThresholds, type VadThresholds } from './thresholds';
export {
  DEFAULT_VAD_OPTIONS,
  VoiceActivityDetector,
  type SpeechEndInfo,
  type VadOptions,
  type VadStats,
  type VadWindowInfo,
} from './voice-activity-detector';
