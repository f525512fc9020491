import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentTool } from '../../../backend/platform/tools';
import { startTestBackend, type TestBackend } from '../../support/backend-harness';
import { startScriptedOpenAiServer, type ScriptedOpenAiServer } from '../../support/scripted-openai-server';
import { ingest } from './support/documents-client';
import { flowText, writePdf } from './support/pdf-writer';
import { multiPagePdf, WARRANTY_SENTENCE } from './support/sample-pdfs';

/** Other word forms than the PDF's ("warranty", "heat exchanger"): no term BM25 can match. */
const REWORDED = 'warranties exchangers';
const RETURNS_SENTENCE = 'Returns. Unused radiators may be returned within thirty days for a full refund.';

describe('documents: hybrid search (embeddings from the provider, fused with BM25)', () => {
  let llm: ScriptedOpenAiServer;
  let backend: TestBackend;

  beforeAll(async () => {
    llm = await startScriptedOpenAiServer({ models: ['chat-model', 'hash-embed'] });
    backend = await startTestBackend();
    await backend.call('providers.save', { id: 'scripted', kind: 'custom', name: 'Scripted', baseUrl: llm.baseUrl, maxRetries: 0 });
  });
  afterAll(async () => {
    await backend.close();
    await llm.close();
  });

  const embeddedPassages = async () => {
    const { components } = await backend.call('diagnostics.health', {});
    const match = /(\d+) of (\d+) passages embedded/.exec(components.documents?.detail ?? '');
    return match ? { embedded: Number(match[1]), passages: Number(match[2]) } : undefined;
  };
  const searchAs = async (channel: 'console' | 'whatsapp', query: string) => {
    const tool = backend.backend.tools.forChannel(channel).find((candidate: AgentTool) => candidate.name === 'search_documents')!;
    return (await tool.call({ query }, { channel, conversationId: undefined, signal: new AbortController().signal })).data as { passages: Array<{ documentId: string; page: number }> } | null;
  };

  it('finds a reworded question BM25 misses, once the documents are embedded by a job', async () => {
    const priceList = await ingest(backend, multiPagePdf(), 'Heating price list.pdf');
    expect((await backend.call('documents.search', { query: REWORDED })).passages).toEqual([]);

    await backend.call('settings.set', { key: 'documents.embeddings.model', value: { providerId: 'scripted', model: 'hash-embed' } });
    await backend.call('settings.set', { key: 'documents.embeddings.enabled', value: true });
    // Turning it on queues the documents already there.
    await expect.poll(embeddedPassages, { timeout: 10_000 }).toEqual({ embedded: 3, passages: 3 });
    const embedRequests = llm.requests.filter((request) => request.path === '/v1/embeddings');
    expect(embedRequests.length).toBeGreaterThan(0);
    expect(embedRequests[0]!.body).toMatchObject({ model: 'hash-embed', encoding_format: 'float' });

    const { passages } = await backend.call('documents.search', { query: REWORDED });
    expect(passages[0]).toMatchObject({ documentId: priceList.id, page: 2 });
    expect(passages[0]!.text).toContain(WARRANTY_SENTENCE);

    // Exact terms still rank by BM25; a question the documents do not cover still finds nothing.
    expect((await backend.call('documents.search', { query: 'delivery working days' })).passages[0]).toMatchObject({ page: 3 });
    expect((await backend.call('documents.search', { query: 'submarine periscope' })).passages).toEqual([]);
  });

  it('embeds a document uploaded while hybrid search is on, after it is read', async () => {
    const returns = await ingest(backend, writePdf([{ texts: flowText(RETURNS_SENTENCE, { x: 72, top: 760, width: 450 }) }]), 'Returns policy.pdf');
    // "radiator returning": no word of it is in the PDF ("radiators", "returned"), so only its vector can find it.
    await expect.poll(async () => (await embeddedPassages())?.embedded, { timeout: 10_000 }).toBe(4);
    const { passages } = await backend.call('documents.search', { query: 'radiator returning' });
    expect(passages[0]).toMatchObject({ documentId: returns.id, page: 1, text: RETURNS_SENTENCE });
  });

  it('keeps per-channel access: WhatsApp contacts reach only shared documents through the vectors too', async () => {
    expect(await searchAs('whatsapp', REWORDED)).toBeNull();
    expect((await searchAs('console', REWORDED))!.passages[0]).toMatchObject({ page: 2 });
    const { documents } = await backend.call('documents.list', {});
    const priceList = documents.find((document) => document.title === 'Heating price list')!;
    await backend.call('documents.setAccess', { id: priceList.id, whatsapp: true });
    expect((await searchAs('whatsapp', REWORDED))!.passages[0]).toMatchObject({ documentId: priceList.id, page: 2 });
  });

  it('answers from BM25 alone when the embedding provider cannot be reached', async () => {
    await backend.call('providers.save', { id: 'gone', kind: 'custom', name: 'Gone', baseUrl: 'http://127.0.0.1:9/v1', maxRetries: 0 });
    await backend.call('settings.set', { key: 'documents.embeddings.model', value: { providerId: 'gone', model: 'hash-embed' } });
    const { passages } = await backend.call('documents.search', { query: 'warranty heat exchanger' });
    expect(passages[0]).toMatchObject({ page: 2 });
    expect((await backend.call('documents.search', { query: REWORDED })).passages).toEqual([]);
  });
});
