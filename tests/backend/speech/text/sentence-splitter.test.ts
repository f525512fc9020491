import { describe, expect, it } from 'vitest';
import { StreamingSentenceSplitter, type SentenceSplitterOptions } from '../../../../backend/speech/text';

/** Feeds `text` in deltas of `size` characters; answers every unit in order. */
function split(text: string, size = 1, options?: SentenceSplitterOptions): string[] {
  const splitter = new StreamingSentenceSplitter(options);
  const units: string[] = [];
  for (let i = 0; i < text.length; i += size) units.push(...splitter.push(text.slice(i, i + size)));
  units.push(...splitter.flush());
  return units;
}

/** The same text in every chunking (1 char, 3 chars, odd sizes, all at once) must split the same way. */
function expectSplit(text: string, expected: string[], options?: SentenceSplitterOptions): void {
  for (const size of [1, 2, 3, 7, 13, text.length || 1]) expect(split(text, size, options), `deltas of ${size}`).toEqual(expected);
}

describe('StreamingSentenceSplitter', () => {
  it('emits a sentence as soon as the next word shows it is complete, not at the end of the stream', () => {
    const splitter = new StreamingSentenceSplitter();
    expect(splitter.push('Hello there')).toEqual([]);
    expect(splitter.push('.')).toEqual([]); // could still be "there.com" or "3.14"
    expect(splitter.push(' ')).toEqual([]); // could still be "e.g. more"
    expect(splitter.push('How')).toEqual(['Hello there.']);
    expect(splitter.push(' are you?')).toEqual([]);
    expect(splitter.push('\n')).toEqual(['How are you?']);
    expect(splitter.flush()).toEqual([]);
  });

  it('splits at . ! ? and … and keeps runs like ?! and ... together', () => {
    expectSplit('Really?! Yes. Wait... What? No! Fine… Done', ['Really?!', 'Yes.', 'Wait...', 'What?', 'No!', 'Fine…', 'Done']);
  });

  it('does not split inside abbreviations, initials, titles or numbers', () => {
    expectSplit('Dr. Smith met Mr. J. R. Tolkien at 3.14 p.m. today. It was fun.', ['Dr. Smith met Mr. J. R. Tolkien at 3.14 p.m. today.', 'It was fun.']);
    expectSplit('Use a tool, e.g. a hammer, i.e. something heavy. Next.', ['Use a tool, e.g. a hammer, i.e. something heavy.', 'Next.']);
    expectSplit('Version 2.0.1 is out. See example.com for more.', ['Version 2.0.1 is out.', 'See example.com for more.']);
    expectSplit('It costs approx. five dollars vs. ten. Cheap.', ['It costs approx. five dollars vs. ten.', 'Cheap.']);
    expectSplit('See No. 5 on the list.', ['See No. 5 on the list.']);
  });

  it('lets an abbreviation that often ends a sentence end it before a capital', () => {
    expectSplit('Bring pens, paper, etc. The rest is here.', ['Bring pens, paper, etc.', 'The rest is here.']);
    expectSplit('Bring pens, paper, etc. and a bag.', ['Bring pens, paper, etc. and a bag.']);
    expectSplit('We met at 9 a.m. Then we left.', ['We met at 9 a.m.', 'Then we left.']);
  });

  it('continues after an ellipsis followed by a lower-case word', () => {
    expectSplit('I think... maybe not. Sure.', ['I think... maybe not.', 'Sure.']);
  });

  it('keeps closing quotes, brackets and emphasis with their sentence', () => {
    expectSplit('He said "stop." Then he left. (It was late.) **Important.** Done.', ['He said "stop."', 'Then he left.', '(It was late.)', '**Important.**', 'Done.']);
  });

  it('splits at paragraphs, headings and list items, and joins soft-wrapped lines', () => {
    expectSplit('# Title\nFirst paragraph\ncontinues here.\n\nSecond paragraph\n\n- apples\n- pears, ripe\n* plums\n1. one\n2) two\n> quoted', [
      '# Title',
      'First paragraph\ncontinues here.',
      'Second paragraph',
      '- apples',
      '- pears, ripe',
      '* plums',
      '1. one',
      '2) two',
      '> quoted',
    ]);
  });

  it('splits a list item with several sentences, and does not take "1." for the end of one', () => {
    expectSplit('1. First step. Then more.\n2. Second step.', ['1. First step.', 'Then more.', '2. Second step.']);
  });

  it('emits a code block whole, however many sentences it seems to contain', () => {
    const code = "```python\nprint('a. B. C!')\n\nx = 1\n```";
    expectSplit(`Here is code:\n${code}\nAfter it.`, ['Here is code:', code, 'After it.']);
    expectSplit(`~~~\nraw. Text.\n~~~`, ['~~~\nraw. Text.\n~~~']);
    // A fence of four backticks is closed only by four or more.
    expectSplit('````\n```\nstill code.\n````\nOut.', ['````\n```\nstill code.\n````', 'Out.']);
    // An unclosed block is flushed at the end.
    expectSplit('```\nnever closed. Really.', ['```\nnever closed. Really.']);
  });

  it('emits a table whole', () => {
    const table = '| Name | Age |\n|---|---|\n| Dr. A | 3.5 |\n| B. | 4 |';
    expectSplit(`Results:\n${table}\nThat is all.`, ['Results:', table, 'That is all.']);
  });

  it('does not wait forever for a clause without a full stop', () => {
    const long = 'this clause goes on and on without any full stop at all, and it keeps going with more words, and more words still, until the limit is reached';
    const splitter = new StreamingSentenceSplitter({ softLimit: 80, hardLimit: 160 });
    const units: string[] = [];
    for (const char of long) units.push(...splitter.push(char));
    expect(units.length).toBeGreaterThan(0); // emitted before the stream ended
    expect(units[0]).toMatch(/,$/); // at a comma
    expect(units[0]!.length).toBeLessThanOrEqual(81);
    units.push(...splitter.flush());
    expect(units.join(' ')).toBe(long);
  });

  it('cuts at a space past the hard limit when there is no comma', () => {
    const words = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');
    const units = split(words, 5, { softLimit: 50, hardLimit: 100 });
    expect(units.length).toBeGreaterThan(2);
    for (const unit of units) expect(unit.length).toBeLessThanOrEqual(100);
    expect(units.join(' ')).toBe(words);
  });

  it('splits CJK full stops without spaces', () => {
    expectSplit('你好。今天天气很好！是吗？', ['你好。', '今天天气很好！', '是吗？']);
  });

  it('flushes the rest and starts clean afterwards', () => {
    const splitter = new StreamingSentenceSplitter();
    expect(splitter.push('No full stop here')).toEqual([]);
    expect(splitter.flush()).toEqual(['No full stop here']);
    expect(splitter.flush()).toEqual([]);
    expect(splitter.push('# Heading')).toEqual([]);
    expect(splitter.push('\nText.')).toEqual(['# Heading']);
    expect(splitter.flush()).toEqual(['Text.']);
  });

  it('ignores whitespace-only input', () => {
    expectSplit('  \n\n  \t ', []);
    expectSplit('', []);
  });

  it('splits a realistic streamed answer the same whatever the delta sizes', () => {
    const answer =
      "Sure! Here's what I found.\n\n## Summary\nThe **Q3 revenue** was $4.2M, up 12% vs. Q2. Dr. Lee's team (e.g. sales) did most of it...\n\n" +
      '| Region | Revenue |\n|---|---|\n| EU | 1.9 |\n| US | 2.3 |\n\n```sql\nSELECT sum(x) FROM t;\n```\nWant more? Ask me.';
    expectSplit(answer, [
      'Sure!',
      "Here's what I found.",
      '## Summary',
      'The **Q3 revenue** was $4.2M, up 12% vs. Q2.',
      "Dr. Lee's team (e.g. sales) did most of it...",
      '| Region | Revenue |\n|---|---|\n| EU | 1.9 |\n| US | 2.3 |',
      '```sql\nSELECT sum(x) FROM t;\n```',
      'Want more?',
      'Ask me.',
    ]);
  });
});
