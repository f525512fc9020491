/** WhatsApp refuses a text body longer than this. */
export const MAX_TEXT_CHARS = 4096;

/**
 * Splits a reply into messages of at most `limit` characters, cutting at the last paragraph
 * break, else sentence end, else line break, else space before the limit; a word longer than the
 * limit is cut hard. Surrogate pairs (emoji) are never split in half.
 */
export function splitForWhatsApp(text: string, limit = MAX_TEXT_CHARS): string[] {
  const parts: string[] = [];
  let rest = text.trim();
  while (rest.length > limit) {
    const cut = cutPoint(rest, limit);
    const part = rest.slice(0, cut).trimEnd();
    if (part) parts.push(part);
    rest = rest.slice(cut).trimStart();
  }
  if (rest) parts.push(rest);
  return parts;
}

function cutPoint(text: string, limit: number): number {
  const window = text.slice(0, limit + 1);
  const floor = Math.floor(limit / 3);
  const candidates = [/\n\s*\n/g, /[.!?…。！？]["')\]]?\s/g, /\n/g, /\s/g];
  for (const pattern of candidates) {
    let best = -1;
    for (const match of window.matchAll(pattern)) {
      const end = match.index + match[0].length;
      // The separator's end may pass the limit by its trailing whitespace only.
      const cut = text.slice(0, end).trimEnd().length <= limit ? end : -1;
      if (cut > best) best = cut;
    }
    if (best > floor) return best;
  }
  let hard = limit;
  // Do not leave half a surrogate pair on either side.
  if (/[\uD800-\uDBFF]/.test(text.charAt(hard - 1))) hard -= 1;
  return hard;
}
