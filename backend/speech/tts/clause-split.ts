import { periodContinuesSentence } from '../text';

/** One clause of a sentence and the punctuation that ends it, as Piper's phonemizer sees them. */
export interface Clause {
  text: string;
  /** The clause's punctuation as Piper voices know it: "," "." "!" "?" ";" ":" or "" at the very end. */
  terminator: string;
  /** A full stop, question or exclamation: Piper speaks each sentence as its own inference run. */
  endsSentence: boolean;
}

const PUNCTUATION_RUN = /[,.;:!?…]+/y;

/**
 * Splits text at clause punctuation that is followed by a space or the end (so "3.14" and "e.g.,"
 * stay whole), except a period after an abbreviation. espeak-ng's own phoneme output drops the
 * punctuation; Piper voices were trained with it, so it is put back after each clause's phonemes.
 */
export function splitClauses(text: string): Clause[] {
  const clauses: Clause[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    PUNCTUATION_RUN.lastIndex = i;
    const match = PUNCTUATION_RUN.exec(text);
    if (!match) continue;
    const end = i + match[0].length;
    const after = text[end];
    if (after !== undefined && !/\s/.test(after)) {
      i = end - 1;
      continue;
    }
    const run = match[0];
    const nextWord = /\S/.exec(text.slice(end))?.[0] ?? '';
    const word = /[^\s([{"'“‘]*$/.exec(text.slice(start, i))?.[0] ?? '';
    if (run === '.' && word && periodContinuesSentence(word, nextWord)) {
      i = end - 1;
      continue;
    }
    push(clauses, text.slice(start, i), terminatorOf(run));
    start = end;
    i = end - 1;
  }
  push(clauses, text.slice(start), '');
  if (clauses.length > 0) clauses[clauses.length - 1]!.endsSentence = true;
  return clauses;
}

function push(clauses: Clause[], text: string, terminator: string): void {
  const trimmed = text.trim();
  if (!/[\p{L}\p{N}]/u.test(trimmed)) return;
  clauses.push({ text: trimmed, terminator, endsSentence: terminator === '.' || terminator === '!' || terminator === '?' });
}

function terminatorOf(run: string): string {
  if (run.includes('?')) return '?';
  if (run.includes('!')) return '!';
  if (run.includes('.') || run.includes('…')) return '.';
  return run[0]!;
}
