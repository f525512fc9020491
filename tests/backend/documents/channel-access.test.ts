import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentTool } from '../../../backend/platform/tools';
import { startTestBackend, type TestBackend } from '../../support/backend-harness';
import { ingest } from './support/documents-client';
import { multiPagePdf } from './support/sample-pdfs';

describe('documents: per-channel access', () => {
  let backend: TestBackend;

  beforeAll(async () => {
    backend = await startTestBackend();
  });
  afterAll(async () => {
    await backend.close();
  });

  const searchAs = async (channel: 'console' | 'whatsapp', query: string) => {
    const tool = backend.backend.tools.forChannel(channel).find((candidate: AgentTool) => candidate.name === 'search_documents');
    if (!tool) throw new Error(`search_documents is not offered on ${channel}`);
    return tool.call({ query }, { channel, conversationId: undefined, signal: new AbortController().signal });
  };

  it('WhatsApp contacts find only the documents an operator shared with them; the console finds all', async () => {
    const internal = await ingest(backend, multiPagePdf(), 'Internal price list.pdf');
    expect(internal.whatsappAccess).toBe(false);

    expect((await searchAs('whatsapp', 'warranty heat exchanger')).data).toBeNull();
    const console = (await searchAs('console', 'warranty heat exchanger')).data as { passages: Array<{ documentId: string; citation: string }> };
    expect(console.passages[0]).toMatchObject({ documentId: internal.id, citation: 'Internal price list, p. 2' });

    const shared = await backend.call('documents.setAccess', { id: internal.id, whatsapp: true });
    expect(shared.whatsappAccess).toBe(true);
    const whatsapp = (await searchAs('whatsapp', 'warranty heat exchanger')).data as { passages: Array<{ documentId: string; page: number; link?: string }> };
    expect(whatsapp.passages[0]).toMatchObject({ documentId: internal.id, page: 2, citation: 'Internal price list, p. 2' });
    // A WhatsApp message cannot open the console's viewer: contacts get the plain citation, no link.
    expect(whatsapp.passages[0]!.link).toBeUndefined();

    await backend.call('documents.setAccess', { id: internal.id, whatsapp: false });
    expect((await searchAs('whatsapp', 'warranty heat exchanger')).data).toBeNull();
  });
});
