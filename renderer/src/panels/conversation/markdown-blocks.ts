import { Lexer } from 'marked';

/** One top-level Markdown block (paragraph, list, code fence, table...) and where it starts. */
export interface MarkdownBlock {
  start: number;
  raw: string;
  type: string;
}

export interface BlockSplit {
  text: string;
  blocks: MarkdownBlock[];
  /** Link reference definitions ("[x]: url"), appended to every block so references resolve across blocks. */
  definitions: string;
}

const EMPTY: BlockSplit = { text: '', blocks: [], definitions: '' };

/**
 * Splits Markdown into top-level blocks. When `text` extends `previous.text` (a streamed answer),
 * only the tail from the second-to-last block on is lexed again: the blocks before it cannot change
 * by appending, and reusing them keeps their identity so the renderer can skip them.
 */
export function splitMarkdownBlocks(text: string, previous: BlockSplit = EMPTY): BlockSplit {
  const source = normaliseNewlines(text);
  const reusable = source.startsWith(previous.text) && previous.blocks.length >= 2;
  const kept = reusable ? previous.blocks.slice(0, -2) : [];
  const offset = reusable ? previous.blocks[previous.blocks.length - 2]!.start : 0;
  const blocks = kept.concat(lexBlocks(source.slice(offset), offset));
  const definitions = blocks
    .filter((block) => block.type === 'def')
    .map((block) => block.raw.trim())
    .join('\n');
  return { text: source, blocks, definitions };
}

function lexBlocks(source: string, offset: number): MarkdownBlock[] {
  const blocks: MarkdownBlock[] = [];
  let position = offset;
  for (const token of Lexer.lex(source)) {
    const last = blocks[blocks.length - 1];
    // Blank lines between blocks render as nothing: fold them into the block before.
    if (token.type === 'space' && last) last.raw += token.raw;
    else if (token.type !== 'space') blocks.push({ start: position, raw: token.raw, type: token.type });
    position += token.raw.length;
  }
  return blocks;
}

function normaliseNewlines(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/** A splitter that remembers its last result, for one growing text. */
export function createBlockSplitter(): (text: string) => BlockSplit {
  let previous = EMPTY;
  return (text) => (previous = splitMarkdownBlocks(text, previous));
}
