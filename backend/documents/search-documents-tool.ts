import { z } from 'zod';
import { defineTool, type AgentTool } from '../platform/tools';
import { citationLabel, citationLink } from './citation';
import type { DocumentLibrary } from './document-library';

/**
 * The agent's way into the documents: passages with their document, page and score, each with the
 * citation the answer must carry ("Price list, p. 3") and the same citation as a link that opens
 * the console's viewer at that page, the passage highlighted.
 */
export function searchDocumentsTool(library: DocumentLibrary): AgentTool {
  return defineTool({
    name: 'search_documents',
    description:
      'Search the PDFs staff uploaded (price lists, manuals, policies) for passages about a question. ' +
      'Returns passages with document title, page and relevance score. Quote from them and cite each fact with the passage\'s `link` ' +
      '(a Markdown link such as [Price list, p. 3](parley:doc/...), copied exactly), or, where links cannot be shown, as its `citation` ("<document>, p. <page>").',
    input: z.strictObject({
      query: z.string().trim().min(1).max(500).describe('Words to look for, e.g. "warranty period boiler"'),
      limit: z.number().int().min(1).max(10).optional().describe('How many passages; default 5'),
    }),
    channels: ['console', 'api', 'whatsapp'],
    timeoutMs: 10_000,
    async execute({ query, limit }, context) {
      // Contacts search only what an operator shared with them (documents.setAccess).
      const whatsapp = context.channel === 'whatsapp';
      const passages = await library.search(query, limit ?? 5, { whatsappOnly: whatsapp });
      if (passages.length === 0) return { data: null, source: 'documents' };
      return {
        data: {
          passages: passages.map((passage) => ({
            citation: citationLabel(passage.title, passage.page),
            // A WhatsApp message cannot open the console's viewer: contacts get the plain citation.
            ...(whatsapp ? {} : { link: citationLink(passage) }),
            document: passage.title,
            documentId: passage.documentId,
            page: passage.page,
            score: passage.score,
            text: passage.text,
            ...(passage.ocr ? { ocr: true } : {}),
          })),
        },
        source: whatsapp ? 'uploaded documents (cite as "<document>, p. <page>")' : 'uploaded documents (cite each fact with its passage\'s `link`)',
      };
    },
  });
}
