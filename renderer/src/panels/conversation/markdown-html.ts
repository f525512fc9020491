import DOMPurify from 'dompurify';
import { Marked } from 'marked';
import { parseCitationHref } from '#protocol';
import { leadingWords, splitByCitations, type AnswerCitation } from './citations';

const markdown = new Marked({ gfm: true, breaks: false, async: false });

/** What marks an in-app citation link; the conversation's click handler looks for it. */
export const CITATION_LINK_SELECTOR = 'a[data-document-id]';

/** An in-app link to the Documents viewer: no navigation away, no new tab; the click is handled in the page. */
function makeCitationLink(link: Element, target: { documentId: string; page: number; quote: string }): void {
  link.setAttribute('href', '#documents');
  link.setAttribute('class', 'citation-link');
  link.setAttribute('data-document-id', target.documentId);
  link.setAttribute('data-page', String(target.page));
  link.setAttribute('data-quote', target.quote);
  link.setAttribute('title', `Open at page ${target.page} in Documents`);
}

// A `parley:doc/...` link (search_documents' citations) becomes an in-app link; DOMPurify would
// drop the unknown scheme otherwise. A malformed one loses its href and stays plain text.
DOMPurify.addHook('beforeSanitizeAttributes', (node) => {
  if (node.tagName !== 'A') return;
  const href = node.getAttribute('href');
  if (!href?.startsWith('parley:')) return;
  const target = parseCitationHref(href);
  if (target) makeCitationLink(node, target);
  else node.removeAttribute('href');
});

// Other links in answers leave the console: a new tab in the browser, the system browser in the desktop app.
DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A' && node.hasAttribute('href') && !node.hasAttribute('data-document-id')) {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer');
  }
});

/**
 * Model output is untrusted: rendered by marked, then sanitised before it touches the DOM. Plain
 * "<document>, p. <page>" citations of the answer's own search results become citation links too.
 */
export function markdownToSafeHtml(source: string, citations: readonly AnswerCitation[] = []): string {
  const html = markdown.parse(source) as string;
  const clean = DOMPurify.sanitize(html, { ADD_ATTR: ['target'], FORBID_TAGS: ['style', 'form', 'input', 'button'] });
  return citations.length > 0 ? linkPlainCitations(clean, citations) : clean;
}

/** Wraps plain citations in text nodes (not inside links or code) with citation links, built with DOM calls only. */
function linkPlainCitations(html: string, citations: readonly AnswerCitation[]): string {
  const template = document.createElement('template');
  template.innerHTML = html;
  const walker = document.createTreeWalker(template.content, NodeFilter.SHOW_TEXT);
  const texts: Text[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.parentElement?.closest('a, code, pre')) texts.push(node as Text);
  }
  for (const text of texts) {
    const segments = splitByCitations(text.data, citations);
    if (segments.length === 1 && !segments[0]!.citation) continue;
    const fragment = document.createDocumentFragment();
    for (const segment of segments) {
      if (!segment.citation) {
        fragment.append(segment.text);
        continue;
      }
      const link = document.createElement('a');
      makeCitationLink(link, { documentId: segment.citation.documentId, page: segment.citation.page, quote: leadingWords(segment.citation.passage) });
      link.textContent = segment.text;
      fragment.append(link);
    }
    text.replaceWith(fragment);
  }
  return template.innerHTML;
}
