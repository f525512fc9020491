/** Lower case, no punctuation, single spaces: what a word error rate compares. */
export function normaliseWords(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9' ]+/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
}

/** (substitutions + deletions + insertions) / reference words: word-level edit distance. */
export function wordErrorRate(reference: string, hypothesis: string): { errors: number; words: number; rate: number } {
  const expected = normaliseWords(reference);
  const heard = normaliseWords(hypothesis);
  let previous = Array.from({ length: heard.length + 1 }, (_, index) => index);
  for (let row = 1; row <= expected.length; row++) {
    const current = [row];
    for (let column = 1; column <= heard.length; column++) {
      const substitution = previous[column - 1]! + (expected[row - 1] === heard[column - 1] ? 0 : 1);
      current.push(Math.min(substitution, previous[column]! + 1, current[column - 1]! + 1));
    }
    previous = current;
  }
  const errors = previous[heard.length]!;
  return { errors, words: expected.length, rate: expected.length === 0 ? 0 : errors / expected.length };
}
