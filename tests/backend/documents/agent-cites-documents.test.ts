import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCitationHref } from '#protocol';
import { reply } from '../../support/scripted-openai-server';
import { startAgentFixture, type AgentFixture } from '../agent/agent-fixture';
import { ingest } from './support/documents-client';
import { multiPagePdf, WARRANTY_SENTENCE } from './support/sample-pdfs';

describe('documents: the agent answers from an uploaded PDF and cites the page', () => {
  let fixture: AgentFixture;

  beforeAll(async () => {
    fixture = await startAgentFixture();
  });
  afterAll(async () => {
    await fixture.close();
  });

  it('search_documents gives the model the passage with "document, p. N", and the stored answer carries it', async () => {
    const document = await ingest(fixture.backend, multiPagePdf(), 'Heating price list.pdf');
    expect(document.status).toBe('ready');

    // The scripted model answers with the citation only if the tool result it was sent carries it.
    const citesPageTwo = (request: { body?: { messages?: unknown } }) =>
      JSON.stringify(request.body?.messages ?? []).includes(JSON.stringify('Heating price list, p. 2').slice(1, -1));
    fixture.llm.enqueue(
      reply.toolCall('search_documents', { query: 'boiler warranty' }),
      reply.text('Boilers carry a seven-year warranty on the heat exchanger (Heating price list, p. 2).', { match: citesPageTwo }),
    );

    const answer = await fixture.send('How long is the warranty on a boiler?');
    expect(answer.content).toBe('Boilers carry a seven-year warranty on the heat exchanger (Heating price list, p. 2).');

    // What the model read back from the tool: the passage, its document, page and score.
    const followUp = fixture.llm.chatRequests[1]!.body!.messages!.find((message) => message.role === 'tool');
    const result = JSON.parse(String(followUp!.content)) as { ok: boolean; data: { passages: Array<Record<string, unknown>> } };
    expect(result.ok).toBe(true);
    expect(result.data.passages[0]).toMatchObject({ citation: 'Heating price list, p. 2', document: 'Heating price list', documentId: document.id, page: 2 });
    // The same citation as a link the console opens in its viewer: the document, the page and the passage's first words.
    const link = /^\[Heating price list, p\. 2\]\((parley:doc\/[^)\s]+)\)$/.exec(String(result.data.passages[0]!.link));
    expect(link).not.toBeNull();
    expect(parseCitationHref(link![1]!)).toEqual({ documentId: document.id, page: 2, quote: 'Guarantees. Every boiler carries a warranty of seven' });
    expect(String(result.data.passages[0]!.text)).toContain(WARRANTY_SENTENCE);
    expect(result.data.passages[0]!.score).toBeGreaterThan(0);
  });

  it('tells the model plainly when the documents hold nothing on the question', async () => {
    fixture.llm.enqueue(reply.toolCall('search_documents', { query: 'submarine periscope' }), reply.text('The documents say nothing about that.'));
    await fixture.send('Do you sell periscopes?');
    const toolMessage = fixture.llm.chatRequests.at(-1)!.body!.messages!.find((message, index, all) => message.role === 'tool' && index === all.length - 1);
    expect(JSON.parse(String(toolMessage!.content))).toMatchObject({ ok: true, data: null, instruction: expect.stringMatching(/Nothing was found/) });
  });
});
