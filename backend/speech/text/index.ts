/**
 * Text for speech: where a streamed answer's sentences end, and what of its Markdown is worth saying.
 */
export { StreamingSentenceSplitter, type SentenceSplitterOptions } from './sentence-splitter';
export { toSpeakableText, type SpeakableTextOptions } from './speakable-text';
export { SpeakableSentenceStream } from './speakable-sentence-stream';
export { periodContinuesSentence } from './abbreviations';
