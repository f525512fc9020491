import { describe, expect, it } from 'vitest';
import { citationHref, parseCitationHref } from '#protocol';
import { citationLabel, citationLink } from '../../../backend/documents/citation';

const ID = '0b8e2f0c-3d7a-4c55-9d0e-1f2a3b4c5d6e';

describe('citation links', () => {
  it('names a passage "<document>, p. <page>" and links it to the viewer with the passage\'s first words', () => {
    expect(citationLabel('Price list', 3)).toBe('Price list, p. 3');
    const link = citationLink({ documentId: ID, title: 'Price list', page: 3, text: 'Condensing boilers (24 kW) start at 1890 euros & are installed within a week.' });
    expect(link).toBe(`[Price list, p. 3](parley:doc/${ID}?page=3&q=Condensing+boilers+%2824+kW%29+start+at+1890+euros)`);
    expect(parseCitationHref(link.slice(link.indexOf('(') + 1, -1))).toEqual({ documentId: ID, page: 3, quote: 'Condensing boilers (24 kW) start at 1890 euros' });
  });

  it('escapes brackets of a title so the Markdown link stays one link', () => {
    expect(citationLink({ documentId: ID, title: 'Manual [draft]', page: 1, text: 'x' })).toMatch(/^\[Manual \\\[draft\\\], p\. 1\]\(parley:doc\//);
  });

  it('reads back only well-formed citation hrefs (answers are untrusted)', () => {
    expect(parseCitationHref(citationHref({ documentId: ID, page: 12, quote: '' }))).toEqual({ documentId: ID, page: 12, quote: '' });
    expect(parseCitationHref(`parley:doc/${ID}`)).toEqual({ documentId: ID, page: 1, quote: '' });
    for (const href of [
      'https://example.com/doc',
      'javascript:alert(1)',
      `parley:doc/${ID}?page=0`,
      `parley:doc/${ID}?page=2.5`,
      `parley:doc/${ID}?page=abc`,
      'parley:doc/..%2F..%2Fsecret?page=1',
      'parley:doc/%E0%A4%A?page=1',
      'parley:doc/?page=1',
      `parley:doc/${'a'.repeat(65)}?page=1`,
    ]) {
      expect(parseCitationHref(href), href).toBeUndefined();
    }
  });
});
