/** How far the alignment looks ahead past a word that differs (a hyphenated line end, a ligature, a header between lines). */
const LOOKAHEAD = 3;
/** A passage must match at least this many words in a row-ish to be highlighted (fewer is chance). */
const MIN_MATCHED = 3;

function words(text: string): string[] {
  return text.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/**
 * The text-layer spans that show a passage: the page's words are aligned with the passage's,
 * tolerating a few words that differ (the index's reading order or OCR may not match pdf.js's text
 * items exactly). Returns span indexes in page order; empty when the passage is not on the page.
 */
export function passageSpans(spans: readonly string[], passage: string): number[] {
  const target = words(passage);
  if (target.length === 0) return [];
  const page = spans.flatMap((text, span) => words(text).map((word) => ({ word, span })));
  let best: { matched: number; spans: number[] } = { matched: 0, spans: [] };
  for (let start = 0; start < page.length; start++) {
    // The passage may begin mid-line in the text layer, or its first word may be split: start at any of its first words.
    const first = target.slice(0, LOOKAHEAD).indexOf(page[start]!.word);
    if (first === -1) continue;
    const aligned = align(page, start, target, first);
    if (aligned.matched > best.matched) best = aligned;
  }
  return best.matched >= Math.min(MIN_MATCHED, target.length) ? best.spans : [];
}

function align(page: ReadonlyArray<{ word: string; span: number }>, start: number, target: readonly string[], first: number): { matched: number; spans: number[] } {
  const spans = new Set<number>();
  let matched = 0;
  let misses = 0;
  let i = start;
  let j = first;
  while (i < page.length && j < target.length && misses <= LOOKAHEAD) {
    if (page[i]!.word === target[j]) {
      spans.add(page[i]!.span);
      matched++;
      misses = 0;
      i++;
      j++;
      continue;
    }
    const skipPage = lookahead((k) => page[i + k]?.word === target[j]);
    const skipPassage = lookahead((k) => target[j + k] === page[i]!.word);
    if (skipPage !== undefined && (skipPassage === undefined || skipPage <= skipPassage)) i += skipPage;
    else if (skipPassage !== undefined) j += skipPassage;
    else {
      i++;
      j++;
    }
    misses++;
  }
  return { matched, spans: [...spans].sort((a, b) => a - b) };
}

function lookahead(matches: (k: number) => boolean): number | undefined {
  for (let k = 1; k <= LOOKAHEAD; k++) if (matches(k)) return k;
  return undefined;
}
