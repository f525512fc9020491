/** Words longer than this are not words a person searches for; they only slow the match down. */
const MAX_TERM_LENGTH = 64;
const MAX_TERMS = 32;

/**
 * A user's words as the index stores them: letters and digits of any script, lower-cased (the
 * unicode61 tokenizer folds case and diacritics the same way at match time), each once.
 */
export function searchTerms(text: string): string[] {
  const words = text.normalize('NFKC').match(/[\p{L}\p{N}]+/gu) ?? [];
  return [...new Set(words.map((word) => word.toLowerCase()).filter((word) => word.length <= MAX_TERM_LENGTH))].slice(0, MAX_TERMS);
}

/**
 * Terms as an FTS5 expression: each quoted (so `-`, `:`, `*`, `AND`, `NEAR` in a question are
 * text, not syntax) and OR-ed, which BM25 then ranks by how many and how rare the terms a passage
 * contains are.
 */
export function toFts5Query(terms: readonly string[]): string {
  return terms.map((term) => `"${term.replaceAll('"', '""')}"`).join(' OR ');
}
