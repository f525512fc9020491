import { memo, useMemo, useState, type MouseEvent } from 'react';
import { openDocument } from '../../app/navigation';
import { citedPassage, type AnswerCitation } from './citations';
import { createBlockSplitter } from './markdown-blocks';
import { CITATION_LINK_SELECTOR, markdownToSafeHtml } from './markdown-html';

const NO_CITATIONS: readonly AnswerCitation[] = [];

/**
 * Renders (streaming) Markdown block by block: while an answer grows only its last block changes,
 * so memoised earlier blocks are neither parsed nor sanitised again. Citation links open the
 * Documents viewer at the cited page, the passage highlighted.
 */
export function Markdown({ text, citations = NO_CITATIONS }: { text: string; citations?: readonly AnswerCitation[] }) {
  const [split] = useState(createBlockSplitter);
  const { blocks, definitions } = useMemo(() => split(text), [split, text]);
  const stable = useStableCitations(citations);
  const openCitation = (event: MouseEvent<HTMLDivElement>) => {
    const link = (event.target as Element).closest(CITATION_LINK_SELECTOR);
    if (!link) return;
    event.preventDefault();
    const target = { documentId: link.getAttribute('data-document-id') ?? '', page: Number(link.getAttribute('data-page')) || 1, quote: link.getAttribute('data-quote') ?? '' };
    openDocument({ documentId: target.documentId, page: target.page, passage: citedPassage(stable, target) });
  };
  return (
    // Clicks on citation links are handled here (delegation): the blocks' HTML carries no handlers.
    // The links are <a href>, so the keyboard reaches and activates them like any link.
    <div className="markdown" onClick={openCitation}>
      {blocks.map((block, index) => (
        <MarkdownBlock key={index} raw={block.raw} definitions={definitions} citations={stable} />
      ))}
    </div>
  );
}

const MarkdownBlock = memo(function MarkdownBlock({ raw, definitions, citations }: { raw: string; definitions: string; citations: readonly AnswerCitation[] }) {
  const html = useMemo(() => markdownToSafeHtml(definitions ? `${raw}\n\n${definitions}` : raw, citations), [raw, definitions, citations]);
  return <div className="markdown-block" dangerouslySetInnerHTML={{ __html: html }} />;
});

/** The same array while its content stays the same (a streaming answer re-renders often), so memoised blocks are not rendered again. */
function useStableCitations(citations: readonly AnswerCitation[]): readonly AnswerCitation[] {
  const key = JSON.stringify(citations);
  return useMemo(() => JSON.parse(key) as AnswerCitation[], [key]);
}
