/**
 * A synthetic vocabulary with whisper's token layout. whisper.cpp hard-codes the special token ids
 * from the vocabulary size (end-of-text, start-of-transcript, languages, timestamps...), so the size
 * cannot shrink below the real one (51864 English-only, 51865 multilingual) without the decoder
 * indexing past its logits. Only the text tokens are stored in the file; whisper.cpp names the
 * special ones itself.
 */

export interface WhisperTokenLayout {
  multilingual: boolean;
  /** Text tokens are 0 .. endOfText-1 (that many are written to the file). */
  endOfText: number;
  startOfTranscript: number;
  /** The first timestamp token; every token from here to nVocab-1 is a timestamp. */
  timestampBegin: number;
  /** The token for a language, by whisper.cpp's language index ('en' = 0, 'fr' = 6...). */
  language(index: number): number;
}

/** whisper.cpp's language indices for the languages the generator uses. */
export const WHISPER_LANGUAGE_INDEX = { en: 0, de: 2, fr: 6 } as const;

/** whisper.cpp looks this token up by text (suppress_blank) and throws if it is missing. */
const SPACE_TOKEN = 220;

/** Where the scripted words live; far from the tokens whisper.cpp treats specially. */
export const FIRST_SCRIPTED_TOKEN = 1000;

const NATO = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliett', 'kilo', 'lima', 'mike'];
const MORE = ['november', 'oscar', 'papa', 'quebec', 'romeo', 'sierra', 'tango', 'uniform', 'victor', 'whiskey', 'xray', 'yankee', 'zulu'];

/** The word the decoder script writes at step `index`: " alpha", " bravo"... then " alpha2"... */
export function scriptedWord(index: number): string {
  const words = [...NATO, ...MORE];
  const round = Math.floor(index / words.length);
  return ` ${words[index % words.length]}${round === 0 ? '' : round + 1}`;
}

export function whisperTokenLayout(nVocab: number): WhisperTokenLayout {
  const multilingual = nVocab >= 51865;
  // Mirrors whisper_vocab in whisper.cpp: multilingual models move end-of-text and
  // start-of-transcript up by one, and the tokens after the language block by the number of
  // languages beyond 98.
  const shift = multilingual ? 1 : 0;
  const extraLanguages = multilingual ? nVocab - 51765 - 1 - 98 : 0;
  const endOfText = 50256 + shift;
  const startOfTranscript = 50257 + shift;
  return {
    multilingual,
    endOfText,
    startOfTranscript,
    timestampBegin: 50363 + extraLanguages,
    language: (index) => startOfTranscript + 1 + index,
  };
}

/** The text tokens' bytes, in id order. */
export function vocabularyTokens(layout: WhisperTokenLayout): Buffer[] {
  const tokens: Buffer[] = [];
  for (let id = 0; id < layout.endOfText; id++) {
    if (id === SPACE_TOKEN) tokens.push(Buffer.from(' '));
    else if (id >= FIRST_SCRIPTED_TOKEN && id < FIRST_SCRIPTED_TOKEN + 256) tokens.push(Buffer.from(scriptedWord(id - FIRST_SCRIPTED_TOKEN)));
    else tokens.push(Buffer.from(`<${id.toString(36)}>`));
  }
  return tokens;
}
