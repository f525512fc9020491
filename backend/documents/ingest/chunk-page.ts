/** Long enough to carry a fact with its context, short enough that a few fit in the model's context. */
export const TARGET_CHUNK_CHARS = 800;

/**
 * A page's text cut into passages of about TARGET_CHUNK_CHARS, at paragraph, then sentence, then
 * word boundaries. Chunks are made per page, so a passage never crosses a page boundary and its
 * page number is always exact.
 */
export function chunkPage(text: string, target = TARGET_CHUNK_CHARS): string[] {
  const units = text
    .split(/\n{2,}|(?<=[.!?。！？])\s+|\n/u)
    .map((unit) => unit.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .flatMap((unit) => (unit.length > target ? splitAtWords(unit, target) : [unit]));
  const chunks: string[] = [];
  let current = '';
  for (const unit of units) {
    if (current && current.length + 1 + unit.length > target) {
      chunks.push(current);
      current = unit;
    } else {
      current = current ? `${current} ${unit}` : unit;
    }
  }
  if (current) chunks.push(current);
  return chunks;
}

function splitAtWords(text: string, target: number): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > target) {
    const cut = rest.lastIndexOf(' ', target);
    const at = cut > target / 2 ? cut : target;
    parts.push(rest.slice(0, at).trim());
    rest = rest.slice(at).trim();
  }
  if (rest) parts.push(rest);
  return parts;
}
