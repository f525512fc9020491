import { StreamingSentenceSplitter, type SentenceSplitterOptions } from './sentence-splitter';
import { toSpeakableText, type SpeakableTextOptions } from './speakable-text';

/**
 * LLM deltas in, speakable sentences out: {@link StreamingSentenceSplitter} finds where each unit
 * ends (keeping code blocks and tables whole), {@link toSpeakableText} cleans it, and units with
 * nothing left to say (a code block, a rule, a bare URL) are dropped. Fits the voice session's
 * `SentenceStream` port.
 */
export class SpeakableSentenceStream {
  private readonly splitter: StreamingSentenceSplitter;

  constructor(private readonly options: SentenceSplitterOptions & SpeakableTextOptions = {}) {
    this.splitter = new StreamingSentenceSplitter(options);
  }

  push(delta: string): string[] {
    return this.speakable(this.splitter.push(delta));
  }

  flush(): string[] {
    return this.speakable(this.splitter.flush());
  }

  private speakable(units: string[]): string[] {
    return units.map((unit) => toSpeakableText(unit, this.options)).filter((text) => /[\p{L}\p{N}]/u.test(text));
  }
}
