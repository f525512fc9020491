/**
 * Speech to text: engines behind one interface, and the streaming transcriber that gives partial
 * transcripts while the user speaks.
 */
export type {
  AudioContextMode,
  SpeechToTextCapabilities,
  SpeechToTextEngine,
  TranscribeOptions,
  Transcript,
  TranscriptSegment,
  TranscriptTimings,
} from './speech-to-text-engine';
export { InProcessWhisperEngine, type InProcessWhisperOptions } from './in-process-whisper-engine';
export { SmartWhisperEngine, type SmartWhisperOptions } from './smart-whisper-engine';
export { smartWhisperSimd, SMART_WHISPER_REBUILD_COMMAND } from './smart-whisper-addon';
export { createLocalWhisperEngine, type LocalWhisperBinding, type LocalWhisperChoice, type LocalWhisperOptions } from './local-whisper-engine';
export { WhisperCliEngine, type WhisperCliOptions } from './whisper-cli-engine';
export { RemoteTranscriptionEngine, type RemoteTranscriptionOptions } from './remote-transcription-engine';
export { StreamingTranscriber, type StreamingTranscriberOptions, type StreamingStats } from './streaming-transcriber';
export { audioContextFor } from './audio-context';
export { readWhisperModelHeader, type WhisperModelHeader } from './whisper-model-header';
export { DEFAULT_MAX_AUDIO_SECONDS } from './utterance-audio';
