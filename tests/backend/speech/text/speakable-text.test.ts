import { describe, expect, it } from 'vitest';
import { SpeakableSentenceStream, toSpeakableText } from '../../../../backend/speech/text';

describe('toSpeakableText', () => {
  it('drops emphasis, strike-through and inline code markers', () => {
    expect(toSpeakableText('This is **bold**, *italic*, __also bold__, _also italic_, ***both***, ~~gone~~ and `npm install`.')).toBe(
      'This is bold, italic, also bold, also italic, both, gone and npm install.',
    );
  });

  it('never leaves markers a voice would read as "asterisk" or "underscore"', () => {
    for (const markdown of ['**unclosed bold', 'closed later**', '* * *', '***', '_lonely', '__init__ method', 'a ` tick', '`', '~~half']) {
      expect(toSpeakableText(markdown), markdown).not.toMatch(/[*`~]|(^|\s)_|_(\s|$)/);
    }
  });

  it('reads headings as sentences, without the hashes', () => {
    expect(toSpeakableText('# Results\n## Next steps\nSome text')).toBe('Results. Next steps. Some text.');
    expect(toSpeakableText('### Is it done?')).toBe('Is it done?');
  });

  it('reads list items as sentences, without bullets, numbers or checkboxes', () => {
    expect(toSpeakableText('- apples\n- pears\n* plums\n+ figs')).toBe('apples. pears. plums. figs.');
    expect(toSpeakableText('1. Open the file.\n2. Edit it\n3) Save')).toBe('Open the file. Edit it. Save.');
    expect(toSpeakableText('- [x] done\n- [ ] todo')).toBe('done. todo.');
    expect(toSpeakableText('- outer\n  - inner one\n  - inner two')).toBe('outer. inner one. inner two.');
  });

  it('reads a table row by row as "Header: value"', () => {
    const table = '| Name | Age | City |\n|:---|---:|:-:|\n| **Alice** | 30 | Paris |\n| Bob | | Rome |';
    expect(toSpeakableText(table)).toBe('Name: Alice, Age: 30, City: Paris. Name: Bob, City: Rome.');
  });

  it('says a link by its text and drops bare URLs and autolinks', () => {
    expect(toSpeakableText('See [the docs](https://example.com/docs?a=1) for details.')).toBe('See the docs for details.');
    expect(toSpeakableText('Go to https://example.com/path?q=1, then www.example.org. Or <https://x.y>.')).toBe('Go to, then. Or.');
    expect(toSpeakableText('Source: [https://example.com](https://example.com)')).toBe('Source:');
    expect(toSpeakableText('Visit example (https://example.com) now.')).toBe('Visit example now.');
    expect(toSpeakableText('![A cat on a mat](cat.png)')).toBe('A cat on a mat.');
  });

  it('removes code blocks entirely by default, or says a placeholder', () => {
    const markdown = 'Run this:\n\n```bash\nrm -rf ./build && echo "done."\n```\n\nThen restart.';
    expect(toSpeakableText(markdown)).toBe('Run this: Then restart.');
    expect(toSpeakableText(markdown, { codeBlock: 'Code omitted' })).toBe('Run this: Code omitted. Then restart.');
    expect(toSpeakableText('    indented code block\n\nText.')).toBe('Text.');
    expect(toSpeakableText('```\nunclosed code')).toBe('');
  });

  it('reads quotes, drops rules and HTML tags, and decodes entities', () => {
    expect(toSpeakableText('> A quote.\n\n---\n\nAfter <b>bold</b> &amp; <br/> more &lt;3 &#233;t&#xE9; &quot;ok&quot;')).toBe('A quote. After bold & more <3 été "ok".');
  });

  it('keeps numbers, decimals, currency and ordinary punctuation', () => {
    expect(toSpeakableText('Revenue was $4.2M (up 12%) vs. 3.9 in Q2; not bad!')).toBe('Revenue was $4.2M (up 12%) vs. 3.9 in Q2; not bad!');
    expect(toSpeakableText('C# and F# are languages.')).toBe('C# and F# are languages.');
  });

  it('turns snake_case into words and collapses whitespace', () => {
    expect(toSpeakableText('The   user_id\tcolumn\nis   indexed.')).toBe('The user id column is indexed.');
    expect(toSpeakableText('First paragraph\n\n\nSecond')).toBe('First paragraph. Second.');
  });

  it('gives nothing for nothing', () => {
    expect(toSpeakableText('')).toBe('');
    expect(toSpeakableText('   \n\n ')).toBe('');
    expect(toSpeakableText('---')).toBe('');
    expect(toSpeakableText('https://example.com')).toBe('');
  });
});

describe('SpeakableSentenceStream', () => {
  it('turns a streamed Markdown answer into clean sentences, dropping what has nothing to say', () => {
    const answer =
      "## Summary\nThe **Q3 revenue** was $4.2M, see [the report](https://x.y/r.pdf). Dr. Lee's team did it.\n\n" +
      '| Region | Revenue |\n|---|---|\n| EU | 1.9 |\n\n```sql\nSELECT 1;\n```\n---\nhttps://example.com\n- Want more?\n- Ask me.';
    const stream = new SpeakableSentenceStream();
    const sentences: string[] = [];
    for (let i = 0; i < answer.length; i += 4) sentences.push(...stream.push(answer.slice(i, i + 4)));
    sentences.push(...stream.flush());
    expect(sentences).toEqual([
      'Summary.',
      'The Q3 revenue was $4.2M, see the report.',
      "Dr. Lee's team did it.",
      'Region: EU, Revenue: 1.9.',
      'Want more?',
      'Ask me.',
    ]);
  });

  it('cleans a sentence cut inside bold (the splitter does not know Markdown spans)', () => {
    const stream = new SpeakableSentenceStream();
    const sentences = [...stream.push('**Note. This matters.** Next'), ...stream.flush()];
    expect(sentences).toEqual(['Note.', 'This matters.', 'Next.']);
  });
});
