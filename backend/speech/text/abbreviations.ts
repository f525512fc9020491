/**
 * Words that end in a period without ending the sentence, lower case, without their final period.
 * Kept to what an LLM writes in English; other languages mostly end sentences the same way.
 */
const NEVER_END = new Set([
  // titles, always followed by a name
  'mr', 'mrs', 'ms', 'dr', 'prof', 'sr', 'jr', 'st', 'mt', 'gen', 'capt', 'lt', 'col', 'sgt', 'rev', 'hon', 'gov', 'sen', 'rep',
  // Latin and reference abbreviations, always followed by more
  'e.g', 'i.e', 'cf', 'vs', 'approx', 'fig', 'figs', 'eq', 'ch', 'sec', 'vol', 'pp', 'p', 'ca', 'viz', 'resp', 'incl', 'esp', 'dept', 'est',
  // months and weekdays as abbreviated in dates ("Jan. 5")
  'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun',
]);

/** These end sentences often enough ("...and so on, etc.") that they only continue before a lower-case word. */
const MAY_END = new Set(['etc', 'inc', 'ltd', 'co', 'corp', 'llc', 'a.m', 'p.m', 'u.s', 'u.k', 'e.u', 'al', 'no']);

/**
 * Whether `word` (the text just before a period, e.g. "Dr", "e.g", "U.S") keeps the sentence going,
 * given the first character of what follows the period and its spaces.
 */
export function periodContinuesSentence(word: string, next: string): boolean {
  const key = word.toLowerCase();
  if (NEVER_END.has(key)) return true;
  // "No. 5" is a number; "I said no. 5 of them" is rare enough.
  if (key === 'no') return /\d/.test(next);
  if (MAY_END.has(key)) return /\p{Ll}/u.test(next);
  // A single capital is an initial ("J. R. R. Tolkien"); "plan B. Then" is the rarer case.
  if (/^\p{Lu}$/u.test(word)) return true;
  return false;
}
