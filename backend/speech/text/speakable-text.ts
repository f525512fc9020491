import { Lexer, type Token, type Tokens } from 'marked';

export interface SpeakableTextOptions {
  /**
   * Said in place of a code block. Empty by default: code read aloud is noise, and the listener
   * sees it on screen (or in the WhatsApp text) anyway.
   */
  codeBlock?: string;
}

const URL_PATTERN = /\b(?:https?:\/\/|www\.)[^\s<>()]+[^\s<>().,;:!?'"]/giu;
const LOOKS_LIKE_URL = /^\s*(?:https?:\/\/|www\.)/i;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

/**
 * Markdown → text a speech engine can read: no emphasis markers, heading hashes, bullets, table
 * pipes, code blocks or URLs. Headings, list items, paragraphs and table rows end with a full stop
 * so the voice pauses between them; a table row is read as "Header: cell, Header: cell."; a link
 * is read as its text. Works on a whole answer or on one streamed sentence (stray markers from a
 * sentence cut inside **bold** are dropped too).
 */
export function toSpeakableText(markdown: string, options: SpeakableTextOptions = {}): string {
  const tokens = new Lexer({ gfm: true }).lex(markdown);
  return tidy(blocks(tokens, options).join(' '));
}

function blocks(tokens: Token[], options: SpeakableTextOptions): string[] {
  const parts: string[] = [];
  for (const token of tokens) {
    switch (token.type) {
      case 'space':
      case 'hr':
      case 'def':
      case 'checkbox':
        break;
      case 'code':
        if (options.codeBlock) parts.push(endSentence(options.codeBlock));
        break;
      case 'heading':
      case 'paragraph':
        parts.push(endSentence(inline(token.tokens ?? [])));
        break;
      case 'text':
        parts.push(endSentence(token.tokens ? inline(token.tokens) : plain(token.text)));
        break;
      case 'blockquote':
        parts.push(...blocks(token.tokens ?? [], options));
        break;
      case 'list':
        for (const item of (token as Tokens.List).items) parts.push(endSentence(blocks(item.tokens, options).join(' ')));
        break;
      case 'table':
        parts.push(...tableRows(token as Tokens.Table));
        break;
      case 'html':
        parts.push(plain(stripTags(token.text)));
        break;
      default:
        parts.push(plain(genericText(token)));
    }
  }
  return parts;
}

/** Each row as "Header: cell, Header: cell." — a grid read cell by cell means nothing when heard. */
function tableRows(table: Tokens.Table): string[] {
  const headers = table.header.map((cell) => tidy(inline(cell.tokens)));
  return table.rows.map((row) =>
    endSentence(
      row
        .map((cell, column) => {
          const value = tidy(inline(cell.tokens));
          const header = headers[column];
          return value && header ? `${header}: ${value}` : value;
        })
        .filter(Boolean)
        .join(', '),
    ),
  );
}

function inline(tokens: Token[]): string {
  return tokens
    .map((token) => {
      switch (token.type) {
        case 'text':
          return token.tokens ? inline(token.tokens) : plain(token.text);
        case 'strong':
        case 'em':
        case 'del':
          return inline(token.tokens ?? []);
        case 'codespan':
          return plain(token.text);
        case 'link': {
          const link = token as Tokens.Link;
          const text = inline(link.tokens);
          // A bare or angle-bracket URL, or a link whose text is its URL: nothing worth hearing.
          return link.autolink || text.trim() === link.href || LOOKS_LIKE_URL.test(text) ? '' : text;
        }
        case 'image':
          return plain((token as Tokens.Image).text);
        case 'br':
          return ' ';
        case 'escape':
          return token.text;
        case 'html':
        case 'checkbox':
          return '';
        default:
          return plain(genericText(token));
      }
    })
    .join('');
}

/** Tokens from extensions or types added in a later marked: their text if they have one. */
function genericText(token: Token): string {
  const text = (token as Tokens.Generic)['text'];
  return typeof text === 'string' ? text : '';
}

function plain(text: string): string {
  return text.replace(/&(#?\w+);/g, (entity, name: string) => ENTITIES[name] ?? (name.startsWith('#') ? codePoint(name) : entity));
}

function codePoint(name: string): string {
  const value = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
  return Number.isFinite(value) && value > 0 && value <= 0x10ffff ? String.fromCodePoint(value) : '';
}

function stripTags(html: string): string {
  return html.replace(/<[^>]*>/g, ' ');
}

/** A full stop where a block ends without punctuation, so the voice pauses there. */
function endSentence(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return '';
  return /[.!?…:;。！？]["'”’)\]*_~`]*$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** Drops what a lexer leaves behind in fragments (stray **, __, ~~, backticks, lone * and #), URLs, and extra spaces. */
function tidy(text: string): string {
  return (
    text
      .replace(URL_PATTERN, '')
      .replace(/\*{1,3}|~~|`+/g, '')
      .replace(/(^|\s)_{1,3}|_{1,3}(?=\s|$|[.,;:!?])/g, '$1')
      .replace(/(\p{L})_(?=\p{L})/gu, '$1 ') // snake_case → "snake case", not "snake underscore case"
      .replace(/(^|\s)#{1,6}(?=\s)/g, '$1')
      .replace(/(^|\s)[|>](?=\s|$)/g, '$1')
      .replace(/\(\s*\)|\[\s*\]/g, '')
      .replace(/([([])\s+/g, '$1')
      .replace(/\s+([)\]])/g, '$1')
      .replace(/\s+/g, ' ')
      .replace(/\s+([.,;:!?…])/g, '$1')
      .replace(/^[\s.,;:]+/, '')
      .trim()
  );
}
