import { citationHref } from '#protocol';

/** Words of the passage the link carries: enough to tell passages of one page apart, short enough for a model to copy. */
const QUOTE_WORDS = 8;
const QUOTE_CHARS = 80;

/** "Price list, p. 3": how an answer names a passage. */
export function citationLabel(title: string, page: number): string {
  return `${title}, p. ${page}`;
}

/**
 * The citation as a Markdown link the console turns into an in-app link to the viewer at that page
 * with the passage highlighted: `[Price list, p. 3](parley:doc/<id>?page=3&q=Every+boiler+carries...)`.
 */
export function citationLink(passage: { documentId: string; title: string; page: number; text: string }): string {
  const label = citationLabel(passage.title, passage.page).replace(/[[\]\\]/g, (character) => `\\${character}`);
  return `[${label}](${citationHref({ documentId: passage.documentId, page: passage.page, quote: leadingWords(passage.text) })})`;
}

function leadingWords(text: string): string {
  const words = text.split(/\s+/).filter(Boolean).slice(0, QUOTE_WORDS);
  let quote = '';
  for (const word of words) {
    if (quote && quote.length + 1 + word.length > QUOTE_CHARS) break;
    quote = quote ? `${quote} ${word}` : word.slice(0, QUOTE_CHARS);
  }
  return quote;
}
