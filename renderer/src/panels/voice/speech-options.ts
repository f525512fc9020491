/** Languages Whisper recognises well enough to offer first; "auto" detects per utterance. */
export const STT_LANGUAGES: Array<{ code: string; name: string }> = [
  { code: 'auto', name: 'Detect automatically' },
  { code: 'en', name: 'English' },
  { code: 'fr', name: 'French' },
  { code: 'de', name: 'German' },
  { code: 'es', name: 'Spanish' },
  { code: 'it', name: 'Italian' },
  { code: 'pt', name: 'Portuguese' },
  { code: 'nl', name: 'Dutch' },
  { code: 'pl', name: 'Polish' },
  { code: 'sv', name: 'Swedish' },
  { code: 'da', name: 'Danish' },
  { code: 'no', name: 'Norwegian' },
  { code: 'fi', name: 'Finnish' },
  { code: 'cs', name: 'Czech' },
  { code: 'ro', name: 'Romanian' },
  { code: 'hu', name: 'Hungarian' },
  { code: 'el', name: 'Greek' },
  { code: 'tr', name: 'Turkish' },
  { code: 'ru', name: 'Russian' },
  { code: 'uk', name: 'Ukrainian' },
  { code: 'ar', name: 'Arabic' },
  { code: 'he', name: 'Hebrew' },
  { code: 'hi', name: 'Hindi' },
  { code: 'id', name: 'Indonesian' },
  { code: 'vi', name: 'Vietnamese' },
  { code: 'th', name: 'Thai' },
  { code: 'zh', name: 'Chinese' },
  { code: 'ja', name: 'Japanese' },
  { code: 'ko', name: 'Korean' },
];

/** A few eSpeak NG voice names, as suggestions; any installed eSpeak voice can be typed. */
export const ESPEAK_VOICES = ['en-us', 'en-gb', 'fr-fr', 'de', 'es', 'it', 'pt-br', 'nl', 'pl', 'sv', 'ru', 'tr', 'ar', 'hi', 'cmn', 'ja'];

/** The voices OpenAI-compatible speech endpoints commonly offer. */
export const REMOTE_VOICES = ['alloy', 'ash', 'coral', 'echo', 'fable', 'nova', 'onyx', 'sage', 'shimmer'];

export const CUSTOM_MODEL_FILES = {
  whisper: { label: 'Whisper model', extensions: ['bin', 'gguf'] },
  piper: { label: 'Piper voice', extensions: ['onnx'] },
} as const;
