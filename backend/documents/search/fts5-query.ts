/** Words longer than this are not words a person searches for; they only slow the match down. */
const MAX_TERM_LENGTH = 64;
const MAX_TERMS = 32;

/**
 * A user's words as an FTS5 expression: each word quoted (so `-`, `:`, `*`, `AND`, `NEAR` in a
 * question are text, not syntax) and the words OR-ed, which BM25 then ranks by how many and how
 * rare the words a passage contains are. Undefined when nothing searchable is left.
 */
export function toFts5Query(text: string): string | undefined {
  const words = text.normalize('NFKC').match(/[\p{L}\p{N}]+/gu) ?? [];
  const unique = [...new Set(words.map((word) => word.toLowerCase()).filter((word) => word.length <= MAX_TERM_LENGTH))].slice(0, MAX_TERMS);
  if (unique.length === 0) return undefined;
  return unique.map((word) => `"${word}"`).join(' OR ');
}
