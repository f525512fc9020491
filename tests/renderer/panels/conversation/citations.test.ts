import { describe, expect, it } from 'vitest';
import { answerCitations, citedPassage, leadingWords, splitByCitations } from '../../../../renderer/src/panels/conversation/citations';
import type { ToolExchange } from '../../../../renderer/src/panels/conversation/message-groups';

const PASSAGE_2 = 'Guarantees. Every boiler carries a warranty of seven years on the heat exchanger.';
const PASSAGE_2B = 'Spare parts are guaranteed for two years.';

function searchExchange(passages: unknown[], ok = true): ToolExchange {
  return {
    call: { id: 'c1', name: 'search_documents', arguments: '{"query":"warranty"}' },
    result: { callId: 'c1', name: 'search_documents', ok, ms: 3, content: JSON.stringify({ ok, source: 'uploaded documents', data: { passages } }) },
  };
}

const tools = [
  searchExchange([
    { citation: 'Price list, p. 2', document: 'Price list', documentId: 'doc-1', page: 2, score: 3, text: PASSAGE_2 },
    { citation: 'Price list, p. 2', document: 'Price list', documentId: 'doc-1', page: 2, score: 2, text: PASSAGE_2B },
    { citation: 'Price list 2026, p. 4', document: 'Price list 2026', documentId: 'doc-2', page: 4, score: 1, text: 'Prices rise in spring.' },
  ]),
  { call: { id: 'c2', name: 'current_time', arguments: '{}' }, result: { callId: 'c2', name: 'current_time', ok: true, ms: 1, content: '{"ok":true,"data":"noon"}' } },
];

describe('answer citations', () => {
  it('collects the passages of the answer\'s search_documents results, skipping other tools, failures and odd shapes', () => {
    const citations = answerCitations([...tools, searchExchange([{ document: 'x' }]), searchExchange([], false), { call: { id: 'c3', name: 'search_documents', arguments: '' }, result: { callId: 'c3', name: 'search_documents', ok: true, ms: 1, content: 'not json' } }]);
    expect(citations.map((citation) => citation.label)).toEqual(['Price list, p. 2', 'Price list, p. 2', 'Price list 2026, p. 4']);
    expect(citations[0]).toMatchObject({ documentId: 'doc-1', page: 2, passage: PASSAGE_2 });
  });

  it('finds plain "<document>, p. <page>" citations of those passages in the text, the longest title first', () => {
    const citations = answerCitations(tools);
    const segments = splitByCitations('Seven years (Price list, p. 2); prices rise (Price list 2026,  p.4). Not cited: Price list, p. 9 or p. 22.', citations);
    expect(segments.map((segment) => [segment.text, segment.citation?.documentId ?? null])).toEqual([
      ['Seven years (', null],
      ['Price list, p. 2', 'doc-1'],
      ['); prices rise (', null],
      ['Price list 2026,  p.4', 'doc-2'],
      ['). Not cited: Price list, p. 9 or p. 22.', null],
    ]);
    expect(splitByCitations('Price list, p. 22', citations)).toEqual([{ text: 'Price list, p. 22' }]);
    expect(splitByCitations('No citations here', [])).toEqual([{ text: 'No citations here' }]);
  });

  it('resolves a link to the passage it starts, else to the page\'s first passage, else to the link\'s own words', () => {
    const citations = answerCitations(tools);
    expect(citedPassage(citations, { documentId: 'doc-1', page: 2, quote: leadingWords(PASSAGE_2B) })).toBe(PASSAGE_2B);
    expect(citedPassage(citations, { documentId: 'doc-1', page: 2, quote: 'something else' })).toBe(PASSAGE_2);
    expect(citedPassage(citations, { documentId: 'doc-9', page: 1, quote: 'Words of the link' })).toBe('Words of the link');
  });
});
