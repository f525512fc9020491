import type { ToolExchange } from './message-groups';

/** A passage search_documents gave the model in this answer, and how the answer may name it. */
export interface AnswerCitation {
  /** "Price list, p. 3" */
  label: string;
  title: string;
  documentId: string;
  page: number;
  passage: string;
}

interface SearchDocumentsResult {
  ok?: boolean;
  data?: { passages?: Array<{ citation?: unknown; document?: unknown; documentId?: unknown; page?: unknown; text?: unknown }> } | null;
}

/** The passages of the answer's search_documents results (tool results are JSON text; anything unexpected is skipped). */
export function answerCitations(tools: readonly ToolExchange[]): AnswerCitation[] {
  const citations: AnswerCitation[] = [];
  for (const tool of tools) {
    if (tool.call.name !== 'search_documents' || !tool.result?.ok) continue;
    let parsed: SearchDocumentsResult;
    try {
      parsed = JSON.parse(tool.result.content) as SearchDocumentsResult;
    } catch {
      continue;
    }
    for (const passage of parsed.data?.passages ?? []) {
      const { document, documentId, page, text } = passage;
      if (typeof document !== 'string' || typeof documentId !== 'string' || typeof page !== 'number' || typeof text !== 'string') continue;
      citations.push({ label: `${document}, p. ${page}`, title: document, documentId, page, passage: text });
    }
  }
  return citations;
}

export type CitationSegment = { text: string; citation?: AnswerCitation };

/**
 * A text cut where it names one of the answer's passages as "<document>, p. <page>" (spacing after
 * the comma and the "p." may vary): the model did not copy the link, the citation still works.
 */
export function splitByCitations(text: string, citations: readonly AnswerCitation[]): CitationSegment[] {
  if (citations.length === 0 || !text) return [{ text }];
  // Longest title first, so "Price list 2026" wins over "Price list".
  const titles = [...new Set(citations.map((citation) => citation.title))].sort((a, b) => b.length - a.length);
  const pattern = new RegExp(`(${titles.map(escapeRegExp).join('|')}),\\s*p\\.\\s*(\\d+)(?!\\d)`, 'g');
  const segments: CitationSegment[] = [];
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    const citation = citations.find((candidate) => candidate.title === match[1] && candidate.page === Number(match[2]));
    if (!citation) continue;
    if (match.index > last) segments.push({ text: text.slice(last, match.index) });
    segments.push({ text: match[0], citation });
    last = match.index + match[0].length;
  }
  if (last < text.length) segments.push({ text: text.slice(last) });
  return segments;
}

/**
 * The passage a citation link means: the answer's passage of that document and page whose text
 * starts with the link's words (a page may hold several), else any of that page, else the words.
 */
export function citedPassage(citations: readonly AnswerCitation[], target: { documentId: string; page: number; quote: string }): string {
  const samePage = citations.filter((citation) => citation.documentId === target.documentId && citation.page === target.page);
  const quote = normalise(target.quote);
  const exact = quote ? samePage.find((citation) => normalise(citation.passage).startsWith(quote)) : undefined;
  return (exact ?? samePage[0])?.passage ?? target.quote;
}

/** The first words of a passage, as a link carries them (`q`). */
export function leadingWords(passage: string): string {
  return passage.split(/\s+/).filter(Boolean).slice(0, 8).join(' ').slice(0, 80);
}

function normalise(text: string): string {
  return text.replace(/\s+/g, ' ').trim().toLowerCase();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
