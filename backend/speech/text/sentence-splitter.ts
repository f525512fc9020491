import { periodContinuesSentence } from './abbreviations';
import { BLOCK_START, FENCE_OPEN, PARTIAL_FENCE, POSSIBLE_BLOCK_START, STANDALONE_LINE } from './markdown-lines';

export interface SentenceSplitterOptions {
  /** Past this many characters without a sentence end, split at the last comma, semicolon, colon or dash. */
  softLimit?: number;
  /** Past this many, split at the last space whatever it is: speech must not wait for a sentence that never ends. */
  hardLimit?: number;
}

const SENTENCE_END = /[.!?…]/;
/** CJK full stops end a sentence with no space after them. */
const CJK_SENTENCE_END = /[。！？]/;
/** What may follow the final punctuation and still belong to the sentence: quotes, brackets, emphasis. */
const CLOSER = /["'”’»)\]*_`]/;
const CLAUSE_MARK = /[,;:—–]/;
const HORIZONTAL_SPACE = /[ \t]/;
/** A soft split leaves at least this much on the left, so it never emits a two-word fragment. */
const MIN_CLAUSE = 24;

/**
 * Turns a stream of LLM text deltas into sentences as soon as each is complete, for text-to-speech.
 *
 * A sentence ends at . ! ? … (with any quotes or brackets after them) followed by a space, unless the
 * period belongs to an abbreviation (e.g., Dr., etc. before a lower-case word), an initial, a
 * number (3.14 has no space) or a numbered-list marker. Headings, list items and quotes end at their
 * newline; paragraphs at a blank line; soft-wrapped lines are joined. Code blocks and tables come out
 * whole (as one unit each) so {@link toSpeakableText} can drop or read them. It looks one character
 * past a period before deciding, and flush() emits whatever is left.
 */
export class StreamingSentenceSplitter {
  private buffer = '';
  private atLineStart = true;
  private readonly softLimit: number;
  private readonly hardLimit: number;

  constructor(options: SentenceSplitterOptions = {}) {
    this.softLimit = options.softLimit ?? 160;
    this.hardLimit = Math.max(options.hardLimit ?? 300, this.softLimit);
  }

  /** Adds a delta; answers the sentences it completed (often none). */
  push(delta: string): string[] {
    this.buffer += delta;
    return this.drain(false);
  }

  /** The stream ended: everything still buffered, as sentences. */
  flush(): string[] {
    const units = this.drain(true);
    this.buffer = '';
    this.atLineStart = true;
    return units;
  }

  private drain(final: boolean): string[] {
    const units: string[] = [];
    for (;;) {
      const leading = /^\s*/.exec(this.buffer)![0];
      if (leading.includes('\n')) this.atLineStart = true;
      this.buffer = this.buffer.slice(leading.length);
      if (!this.buffer) break;
      const end = this.unitEnd(final);
      if (end === undefined) break;
      const unit = this.buffer.slice(0, end).trim();
      this.buffer = this.buffer.slice(end);
      this.atLineStart = false;
      if (unit) units.push(unit);
    }
    return units;
  }

  /** Where the first complete unit of the buffer ends, or undefined to wait for more text. */
  private unitEnd(final: boolean): number | undefined {
    const text = this.buffer;
    if (this.atLineStart) {
      if (FENCE_OPEN.test(text)) return codeBlockEnd(text, final);
      if (PARTIAL_FENCE.test(text) && !final) return undefined;
      if (text.startsWith('|')) return tableEnd(text, final);
    }
    return this.sentenceEnd(text, final);
  }

  private sentenceEnd(text: string, final: boolean): number | undefined {
    let lineIsStandalone = this.atLineStart && STANDALONE_LINE.test(text);
    let lastClause = -1;
    for (let i = 0; i < text.length; i++) {
      const char = text[i]!;
      if (char === '\n') {
        const decision = newlineDecision(text, i, final, lineIsStandalone);
        if (decision !== 'join') return decision === 'split' ? i : undefined;
        lineIsStandalone = false;
        continue;
      }
      if (CJK_SENTENCE_END.test(char)) return skipClosers(text, i + 1);
      if (SENTENCE_END.test(char)) {
        let end = i + 1;
        while (end < text.length && SENTENCE_END.test(text[end]!)) end++;
        const punctuation = text.slice(i, end);
        end = skipClosers(text, end);
        if (end >= text.length) return final ? end : undefined; // "3." may still become "3.14"
        if (!/\s/.test(text[end]!)) {
          i = end - 1; // "3.14", "e.g.,", "example.com": not an end
          continue;
        }
        let next = end;
        while (next < text.length && HORIZONTAL_SPACE.test(text[next]!)) next++;
        if (next >= text.length) return final ? end : undefined; // need the next word's case
        if (this.periodContinues(text, i, punctuation, text[next]!)) {
          i = end - 1;
          continue;
        }
        return end;
      }
      if (CLAUSE_MARK.test(char) && /\s/.test(text[i + 1] ?? '')) lastClause = i + 1;
    }
    if (final) return text.length;
    if (text.length > this.softLimit && lastClause >= MIN_CLAUSE) return lastClause;
    if (text.length > this.hardLimit) {
      const space = text.slice(0, this.hardLimit + 1).search(/\s\S*$/);
      return space > 0 ? space : this.hardLimit;
    }
    return undefined;
  }

  private periodContinues(text: string, at: number, punctuation: string, next: string): boolean {
    if (next === '\n') return false;
    const lowerCaseNext = /\p{Ll}/u.test(next);
    if (punctuation === '...' || punctuation === '…') return lowerCaseNext; // "I think… maybe"
    if (punctuation !== '.') return false;
    const before = text.slice(0, at);
    if (this.atLineStart && /^\s*\d{1,9}$/.test(before)) return true; // "1. " opens a numbered item
    const word = (/[^\s([{"'“‘*_]*$/.exec(before)?.[0] ?? '').replace(/^[*_]+/, '');
    if (word && periodContinuesSentence(word, next)) return true;
    return lowerCaseNext; // "approx. five", "vs. them": a lower-case word rarely starts a sentence
  }
}

function skipClosers(text: string, from: number): number {
  let end = from;
  while (end < text.length && CLOSER.test(text[end]!)) end++;
  return end;
}

/** At a newline inside a unit: does the unit end here, go on (a soft-wrapped line), or is it too soon to say? */
function newlineDecision(text: string, at: number, final: boolean, lineIsStandalone: boolean): 'split' | 'join' | 'wait' {
  if (lineIsStandalone) return 'split';
  let next = at + 1;
  while (next < text.length && HORIZONTAL_SPACE.test(text[next]!)) next++;
  if (next >= text.length) return final ? 'split' : 'wait';
  if (text[next] === '\n') return 'split'; // a blank line ends the paragraph
  const lineEnd = text.indexOf('\n', next);
  const nextLine = text.slice(at + 1, lineEnd === -1 ? text.length : lineEnd);
  if (BLOCK_START.test(nextLine)) return 'split';
  if (lineEnd === -1 && !final && POSSIBLE_BLOCK_START.test(nextLine)) return 'wait';
  return 'join';
}

/** A fenced code block ends after its closing fence line; until that arrives, wait. */
function codeBlockEnd(text: string, final: boolean): number | undefined {
  const fence = FENCE_OPEN.exec(text)![1]!;
  const closing = new RegExp(`\\n {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}[ \\t]*(?=\\n|$)`, 'g');
  const firstLineEnd = text.indexOf('\n');
  if (firstLineEnd !== -1) {
    closing.lastIndex = firstLineEnd;
    const match = closing.exec(text);
    if (match) {
      const end = match.index + match[0].length;
      if (end < text.length || final) return end; // a fence line at the very end may still grow
    }
  }
  return final ? text.length : undefined;
}

/** A table is every consecutive line starting with "|"; it ends before the first line that does not. */
function tableEnd(text: string, final: boolean): number | undefined {
  let from = 0;
  for (;;) {
    const newline = text.indexOf('\n', from);
    if (newline === -1) return final ? text.length : undefined;
    const rest = text.slice(newline + 1).replace(/^[ \t]*/, '');
    if (rest === '') return final ? newline : undefined;
    if (!rest.startsWith('|')) return newline;
    from = newline + 1;
  }
}
