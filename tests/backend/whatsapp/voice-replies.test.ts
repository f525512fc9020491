import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { whatsappMediaPath } from '#protocol';
import { reply } from '../../support/scripted-openai-server';
import { startFakeTranscriptionServer, type FakeTranscriptionServer } from '../speech/stt/fake-transcription-server';
import { textMessage } from './cloud-payloads';
import { describeVoiceNote, voiceMessage, voiceNote } from './voice-payloads';
import { eventually, startWhatsAppFixture, transcribeThrough, type WhatsAppFixture } from './whatsapp-fixture';

describe('WhatsApp voice-note replies', () => {
  let fixture: WhatsAppFixture;
  let stt: FakeTranscriptionServer;

  beforeEach(async () => {
    fixture = await startWhatsAppFixture();
    stt = await startFakeTranscriptionServer();
    await transcribeThrough(fixture, stt);
  });

  afterEach(async () => {
    await fixture.close();
    await stt.close();
  });

  const thread = async () => (await fixture.backend.call('whatsapp.messages.list', { contactId: '16505551234' })).messages;

  it('mirror: a voice note is answered with a voice note (uploaded OGG/Opus, mono, ≤ 512 KB, sent with voice: true), playable in the inbox', async () => {
    await fixture.backend.call('settings.set', { key: 'whatsapp.voiceReplies', value: 'mirror' });
    const ogg = await voiceNote('When do you open tomorrow?');
    stt.answer = { text: 'When do you open tomorrow?' };
    fixture.llm.enqueue(reply.text('We open at **nine** tomorrow morning. See https://example.com/hours for more.'));
    await fixture.deliver(voiceMessage(fixture.graph.addMedia(ogg, 'audio/ogg; codecs=opus'), ogg));

    const [send] = await fixture.graph.waitForSends(1);
    const [upload] = fixture.graph.uploads;
    expect(upload).toMatchObject({ messagingProduct: 'whatsapp', type: 'audio/ogg; codecs=opus', contentType: 'audio/ogg; codecs=opus' });
    expect(send!.body).toMatchObject({ to: '16505551234', type: 'audio', audio: { id: upload!.mediaId, voice: true } });
    const note = describeVoiceNote(upload!.bytes);
    expect(note.channels).toBe(1);
    expect(note.bytes).toBeLessThanOrEqual(512 * 1024);
    // "We open at nine tomorrow morning." spoken, not the Markdown stars or the link.
    expect(note.seconds).toBeGreaterThan(1);
    expect(note.seconds).toBeLessThan(6);

    const messages = await eventually('the voice reply marked sent', async () => {
      const list = await thread();
      return list.find((message) => message.direction === 'out' && message.status === 'sent') ? list : undefined;
    });
    const [voiceIn, voiceOut] = messages;
    expect(voiceIn).toMatchObject({ kind: 'audio', text: '🎤 When do you open tomorrow?', media: { voice: true, playable: true } });
    expect(voiceOut).toMatchObject({ kind: 'audio', author: 'agent', media: { voice: true, playable: true, mimeType: 'audio/ogg; codecs=opus' } });
    expect(voiceOut!.text).toContain('We open at **nine** tomorrow morning.');
    // Both play in the inbox from the control route: the contact's note as received, our reply as sent.
    const incoming = await fixture.backend.fetch(whatsappMediaPath(voiceIn!.id));
    expect(incoming.status).toBe(200);
    expect(Buffer.from(await incoming.arrayBuffer()).equals(ogg)).toBe(true);
    const outgoing = await fixture.backend.fetch(whatsappMediaPath(voiceOut!.id));
    expect(outgoing.headers.get('content-type')).toBe('audio/ogg; codecs=opus');
    expect(Buffer.from(await outgoing.arrayBuffer()).equals(upload!.bytes)).toBe(true);
    // The token guards it like every control route.
    expect((await fixture.backend.fetch(whatsappMediaPath(voiceOut!.id), { token: null })).status).toBe(401);
    expect((await fixture.backend.fetch(whatsappMediaPath('no-such-message'))).status).toBe(404);
  });

  it('mirror: a text message is answered with text; always: with a voice note', async () => {
    await fixture.backend.call('settings.set', { key: 'whatsapp.voiceReplies', value: 'mirror' });
    fixture.llm.enqueue(reply.text('Typed answer.'));
    await fixture.deliver(textMessage('typed question').payload);
    await fixture.graph.waitForSends(1);
    expect(fixture.graph.sends()[0]!.body).toMatchObject({ type: 'text', text: { body: 'Typed answer.' } });

    await fixture.backend.call('settings.set', { key: 'whatsapp.voiceReplies', value: 'always' });
    fixture.llm.enqueue(reply.text('Spoken answer.'));
    await fixture.deliver(textMessage('another typed question').payload);
    const sends = await fixture.graph.waitForSends(2);
    expect(sends[1]!.body).toMatchObject({ type: 'audio', audio: { voice: true } });
    expect(fixture.graph.uploads).toHaveLength(1);
  });

  it('falls back to text when speech synthesis fails', async () => {
    await fixture.backend.call('settings.set', { key: 'whatsapp.voiceReplies', value: 'always' });
    // A remote TTS engine whose provider does not exist: synthesis fails.
    await fixture.backend.call('settings.set', { key: 'voice.tts.engine', value: 'remote' });
    await fixture.backend.call('settings.set', { key: 'voice.tts.remote', value: { providerId: 'missing-provider', model: 'tts-1' } });
    fixture.llm.enqueue(reply.text('You get this as text.'));
    await fixture.deliver(textMessage('say it').payload);
    const [send] = await fixture.graph.waitForSends(1);
    expect(send!.body).toMatchObject({ type: 'text', text: { body: 'You get this as text.' } });
    expect(fixture.graph.uploads).toEqual([]);
  });
});
