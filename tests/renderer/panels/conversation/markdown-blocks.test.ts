import { describe, expect, it } from 'vitest';
import { createBlockSplitter, splitMarkdownBlocks } from '../../../../renderer/src/panels/conversation/markdown-blocks';

const ANSWER = [
  '# Heading',
  '',
  'A paragraph with *emphasis* and a [link][docs].',
  'It goes on.',
  '',
  '- one',
  '- two',
  '',
  '  still two',
  '',
  '```ts',
  'const x = 1;',
  '',
  'const y = 2;',
  '```',
  '',
  '| a | b |',
  '|---|---|',
  '| 1 | 2 |',
  '',
  '> quoted',
  '',
  '[docs]: https://example.com/docs',
  '',
  'Last words.',
].join('\n');

const shape = (text: string) => splitMarkdownBlocks(text).blocks.map(({ start, raw, type }) => ({ start, raw, type }));

describe('splitMarkdownBlocks', () => {
  it('splits into top-level blocks that join back to the text', () => {
    const { blocks } = splitMarkdownBlocks(ANSWER);
    expect(blocks.map((block) => block.type)).toEqual(['heading', 'paragraph', 'list', 'code', 'table', 'blockquote', 'def', 'paragraph']);
    expect(blocks.map((block) => block.raw).join('')).toBe(ANSWER);
    for (const block of blocks) expect(ANSWER.slice(block.start, block.start + block.raw.length)).toBe(block.raw);
  });

  it('keeps blank lines inside a code fence in one block', () => {
    const code = splitMarkdownBlocks(ANSWER).blocks.find((block) => block.type === 'code')!;
    expect(code.raw).toContain('const x = 1;\n\nconst y = 2;');
  });

  it('collects link definitions so a reference resolves in any block', () => {
    expect(splitMarkdownBlocks(ANSWER).definitions).toBe('[docs]: https://example.com/docs');
  });

  it('normalises Windows line endings', () => {
    expect(splitMarkdownBlocks('a\r\n\r\nb').blocks.map((block) => block.raw)).toEqual(['a\n\n', 'b']);
  });

  it('gives the same blocks streamed in any chunking as lexed at once', () => {
    for (const size of [1, 3, 7, 16, 50]) {
      const split = createBlockSplitter();
      let last;
      for (let end = size; end < ANSWER.length + size; end += size) {
        const prefix = ANSWER.slice(0, end);
        last = split(prefix);
        expect(last.blocks.map(({ start, raw, type }) => ({ start, raw, type }))).toEqual(shape(prefix));
      }
      expect(last!.text).toBe(ANSWER);
    }
  });

  it('reuses the blocks that appending cannot change, so the renderer can skip them', () => {
    const split = createBlockSplitter();
    const before = split('# Title\n\nFirst paragraph.\n\nSecond');
    const after = split('# Title\n\nFirst paragraph.\n\nSecond paragraph.');
    expect(after.blocks[0]).toBe(before.blocks[0]);
    expect(after.blocks[2]!.raw).toBe('Second paragraph.');
  });

  it('starts over when the text is replaced rather than extended (a fallback voided it)', () => {
    const split = createBlockSplitter();
    split('# One\n\nTwo\n\nThree');
    expect(split('Other').blocks.map((block) => block.raw)).toEqual(['Other']);
  });
});
