/** A parsed `Content-Range` header: `bytes 100-199/1000`, or `bytes *\/1000` on a 416 answer. */
export type ContentRange = { start: number; end: number; total: number | undefined } | { unsatisfiedTotal: number };

/** Undefined when the header is missing or is not a byte range we can trust. */
export function parseContentRange(header: string | null): ContentRange | undefined {
  if (!header) return undefined;
  const unsatisfied = /^bytes \*\/(\d+)$/i.exec(header.trim());
  if (unsatisfied) return { unsatisfiedTotal: Number(unsatisfied[1]) };
  const match = /^bytes (\d+)-(\d+)\/(\d+|\*)$/i.exec(header.trim());
  if (!match) return undefined;
  const start = Number(match[1]);
  const end = Number(match[2]);
  const total = match[3] === '*' ? undefined : Number(match[3]);
  if (end < start || (total !== undefined && end >= total)) return undefined;
  if (![start, end, total ?? 0].every(Number.isSafeInteger)) return undefined;
  return { start, end, total };
}
