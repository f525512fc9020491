import { memo, useMemo, useState } from 'react';
import { createBlockSplitter } from './markdown-blocks';
import { markdownToSafeHtml } from './markdown-html';

/**
 * Renders (streaming) Markdown block by block: while an answer grows only its last block changes,
 * so memoised earlier blocks are neither parsed nor sanitised again.
 */
export function Markdown({ text }: { text: string }) {
  const [split] = useState(createBlockSplitter);
  const { blocks, definitions } = useMemo(() => split(text), [split, text]);
  return (
    <div className="markdown">
      {blocks.map((block, index) => (
        <MarkdownBlock key={index} raw={block.raw} definitions={definitions} />
      ))}
    </div>
  );
}

const MarkdownBlock = memo(function MarkdownBlock({ raw, definitions }: { raw: string; definitions: string }) {
  const html = useMemo(() => markdownToSafeHtml(definitions ? `${raw}\n\n${definitions}` : raw), [raw, definitions]);
  return <div className="markdown-block" dangerouslySetInnerHTML={{ __html: html }} />;
});
