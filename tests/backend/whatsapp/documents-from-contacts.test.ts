import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { productCapabilities } from '../../../backend/app';
import type { CapabilityFactory } from '../../../backend/platform/capability';
import type { DocumentIntake, IncomingDocument } from '../../../backend/platform/intake';
import { Slot } from '../../../backend/base';
import { reply } from '../../support/scripted-openai-server';
import { writePdf } from '../documents/support/pdf-writer';
import { envelope } from './cloud-payloads';
import { eventually, startWhatsAppFixture, type WhatsAppFixture } from './whatsapp-fixture';

const CONTACT = '16505551234';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

function mediaMessage(type: 'document' | 'image', content: Record<string, unknown>) {
  return envelope({
    contacts: [{ profile: { name: 'Kerry Fisher' }, wa_id: CONTACT }],
    messages: [{ from: CONTACT, id: `wamid.${type}.${Math.random()}`, timestamp: String(Math.floor(Date.now() / 1000)), type, [type]: content }],
  });
}

/**
 * A document intake as the documents capability provides it (the slot in the capability context):
 * this one keeps what it was given, so the test sees exactly what the bridge handed over.
 */
function recordingIntake(received: IncomingDocument[]): CapabilityFactory {
  return (context) => {
    const provided = context.documentIntake.provide({
      accepts: (mimeType, fileName) => mimeType === 'application/pdf' || fileName.toLowerCase().endsWith('.pdf'),
      ingest: async (document) => {
        received.push(document);
        return { documentId: `doc-${received.length}`, status: 'queued', duplicate: false };
      },
    });
    return { id: 'test-document-intake', stop: () => provided.dispose() };
  };
}

/**
 * The product's capabilities, the documents capability given a slot of its own (so what reaches the
 * bridge is `intake`, or nothing), and `intake` providing the bridge's slot.
 */
const withDocuments = (intake?: CapabilityFactory): NonNullable<Parameters<typeof startWhatsAppFixture>[0]>['capabilities'] => (agent) => [
  ...productCapabilities(agent).map((factory): CapabilityFactory => (context) => {
    // Which factory is the documents capability shows only once it is built: until then every
    // capability's slot forwards to the shared one, and the documents capability's is then cut off.
    let target = context.documentIntake;
    const forwarding = {
      provide: (value: DocumentIntake) => target.provide(value),
      get current() {
        return target.current;
      },
    } as unknown as Slot<DocumentIntake>;
    const capability = factory({ ...context, documentIntake: forwarding });
    if (capability.id === 'documents') target = new Slot<DocumentIntake>();
    return capability;
  }),
  ...(intake ? [intake] : []),
];

describe('documents and images WhatsApp contacts send', () => {
  let fixture: WhatsAppFixture;
  afterEach(async () => fixture?.close());

  const thread = async () => (await fixture.backend.call('whatsapp.messages.list', { contactId: CONTACT })).messages;

  it('a PDF goes to the document intake and the contact is thanked by name; no turn for it', async () => {
    const received: IncomingDocument[] = [];
    fixture = await startWhatsAppFixture({ capabilities: withDocuments(recordingIntake(received)) });
    const mediaId = fixture.graph.addMedia(PDF, 'application/pdf', createHash('sha256').update(PDF).digest('hex'));
    await fixture.deliver(mediaMessage('document', { id: mediaId, mime_type: 'application/pdf', filename: 'price-list.pdf', sha256: createHash('sha256').update(PDF).digest('hex') }));
    await fixture.graph.waitForSends(1);
    expect(fixture.graph.sentTexts()).toEqual(['Thanks, I added price-list.pdf to the documents.']);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ fileName: 'price-list.pdf', mimeType: 'application/pdf', channel: 'whatsapp', sender: CONTACT });
    expect(Buffer.from(received[0]!.bytes).equals(PDF)).toBe(true);
    const [document] = await eventually('the document settled', async () => ((await thread())[0]?.status === 'answered' ? thread() : undefined));
    expect(document).toMatchObject({ kind: 'document', media: { fileName: 'price-list.pdf', mimeType: 'application/pdf' }, note: expect.stringContaining('Added to the documents') as unknown });
    expect(fixture.llm.chatRequests).toHaveLength(0);
  });

  it('with the real documents capability, a contact PDF is read and its text found, with where it came from', async () => {
    fixture = await startWhatsAppFixture();
    const pdf = writePdf([{ texts: [{ x: 72, y: 760, text: 'Winter tyres are fitted for 89 euros per car.' }] }, { texts: [{ x: 72, y: 760, text: 'Wheel alignment costs 59 euros.' }] }]);
    await fixture.deliver(mediaMessage('document', { id: fixture.graph.addMedia(pdf, 'application/pdf'), mime_type: 'application/pdf', filename: 'tyre-prices.pdf' }));
    await fixture.graph.waitForSends(1);
    expect(fixture.graph.sentTexts()).toEqual(['Thanks, I added tyre-prices.pdf to the documents.']);
    const { passages } = await eventually('the PDF was read and indexed', async () => {
      const found = await fixture.backend.call('documents.search', { query: 'wheel alignment' });
      return found.passages.length ? found : undefined;
    });
    expect(passages[0]).toMatchObject({ title: expect.stringContaining('tyre-prices') as unknown, page: 2 });
    const { documents } = await fixture.backend.call('documents.list', {});
    expect(documents).toMatchObject([{ fileName: 'tyre-prices.pdf', status: 'ready', pages: 2, ocrPages: [], origin: { channel: 'whatsapp', sender: CONTACT } }]);
  });

  it('a PDF with a caption is added and the caption answered by the agent, told about the file', async () => {
    fixture = await startWhatsAppFixture({ capabilities: withDocuments(recordingIntake([])) });
    fixture.llm.enqueue(reply.text('I will look at it.'));
    const mediaId = fixture.graph.addMedia(PDF, 'application/pdf');
    await fixture.deliver(mediaMessage('document', { id: mediaId, mime_type: 'application/pdf', filename: 'quote.pdf', caption: 'Is this price right?' }));
    await fixture.graph.waitForSends(2);
    expect(fixture.graph.sentTexts()).toEqual(['Thanks, I added quote.pdf to the documents.', 'I will look at it.']);
    expect(JSON.stringify(fixture.llm.chatRequests[0]!.body?.messages)).toContain('Is this price right? (with the document \\"quote.pdf\\")');
  });

  it('without the documents capability the contact is told documents are not enabled; an image is acknowledged', async () => {
    fixture = await startWhatsAppFixture({ capabilities: withDocuments() });
    await fixture.deliver(mediaMessage('document', { id: fixture.graph.addMedia(PDF, 'application/pdf'), mime_type: 'application/pdf', filename: 'manual.pdf' }));
    await fixture.graph.waitForSends(1);
    await fixture.deliver(mediaMessage('image', { id: fixture.graph.addMedia(Buffer.from('not really a jpeg'), 'image/jpeg'), mime_type: 'image/jpeg' }));
    await fixture.graph.waitForSends(2);
    const [documentReply, imageReply] = fixture.graph.sentTexts();
    expect(documentReply).toBe('Thanks for manual.pdf. Documents are not enabled here, so I could not add it.');
    expect(imageReply).toContain('Thanks for the image.');
    // The document was never downloaded: there was nowhere to put it.
    expect(fixture.graph.requests.filter((request) => request.method === 'GET')).toEqual([]);
    expect(fixture.llm.chatRequests).toHaveLength(0);
  });
});
