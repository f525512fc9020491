import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { productCapabilities } from '../../../backend/app/capabilities';
import type { Slot } from '../../../backend/base';
import type { CapabilityFactory } from '../../../backend/platform/capability';
import type { DocumentIntake } from '../../../backend/platform/intake';
import { startTestBackend, type TestBackend } from '../../support/backend-harness';
import { waitForDocument } from './support/documents-client';
import { multiPagePdf } from './support/sample-pdfs';

const CONTACT = '+4915112345678';

describe('documents: PDFs other channels hand over (context.documentIntake)', () => {
  let backend: TestBackend;
  let slot: Slot<DocumentIntake> | undefined;

  /** Stands where the WhatsApp bridge stands: a capability that only sees the context's slot. */
  const channelCapability: CapabilityFactory = (context) => {
    slot = context.documentIntake;
    return { id: 'intake-probe' };
  };

  beforeAll(async () => {
    backend = await startTestBackend({}, { capabilities: (agent) => [...productCapabilities(agent), channelCapability] });
  });
  afterAll(async () => {
    await backend.close();
  });

  const intake = () => {
    const provided = slot?.current;
    if (!provided) throw new Error('The documents capability provided no intake');
    return provided;
  };

  it('accepts PDFs only', () => {
    expect(intake().accepts('application/pdf', 'prices.pdf')).toBe(true);
    expect(intake().accepts('application/pdf; charset=binary', 'scan')).toBe(true);
    expect(intake().accepts('application/octet-stream', 'Price List.PDF')).toBe(true);
    expect(intake().accepts('image/jpeg', 'photo.jpg')).toBe(false);
    expect(intake().accepts('application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'offer.docx')).toBe(false);
  });

  it('ingests a WhatsApp PDF, records its channel and sender, and recognises the same file sent again', async () => {
    const bytes = new Uint8Array(multiPagePdf());
    const receipt = await intake().ingest({ fileName: 'Heating price list.pdf', mimeType: 'application/pdf', bytes, channel: 'whatsapp', sender: CONTACT });
    expect(receipt).toMatchObject({ status: 'queued', duplicate: false });

    const document = await waitForDocument(backend, receipt.documentId);
    expect(document).toMatchObject({ status: 'ready', pages: 3, title: 'Heating price list', origin: { channel: 'whatsapp', sender: CONTACT }, whatsappAccess: false });
    const { passages } = await backend.call('documents.search', { query: 'warranty heat exchanger' });
    expect(passages[0]).toMatchObject({ documentId: receipt.documentId, page: 2 });

    const again = await intake().ingest({ fileName: 'prices-again.pdf', mimeType: 'application/pdf', bytes, channel: 'whatsapp', sender: '+4917000000000' });
    expect(again).toEqual({ documentId: receipt.documentId, status: 'ready', duplicate: true });
    expect((await backend.call('documents.get', { id: receipt.documentId })).origin).toEqual({ channel: 'whatsapp', sender: CONTACT });
  });

  it('refuses bytes that are not a PDF with what to do', async () => {
    await expect(intake().ingest({ fileName: 'fake.pdf', mimeType: 'application/pdf', bytes: new TextEncoder().encode('not a pdf'), channel: 'whatsapp', sender: CONTACT })).rejects.toMatchObject({
      code: 'invalid_params',
      message: expect.stringMatching(/not a PDF/),
    });
  });

  it('empties the slot when the backend stops', async () => {
    const provided = slot!;
    await backend.close();
    expect(provided.current).toBeUndefined();
  });
});
