import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toFloatAudio } from '#audio';
import { encodeOggOpus } from '../../../backend/speech/audio';
import { EspeakEngine } from '../../../backend/speech/tts';
import { reply } from '../../support/scripted-openai-server';
import { startFakeTranscriptionServer, type FakeTranscriptionServer } from '../speech/stt/fake-transcription-server';
import { envelope } from './cloud-payloads';
import { eventually, startWhatsAppFixture, transcribeThrough, type WhatsAppFixture } from './whatsapp-fixture';

/** A voice note as WhatsApp records it: espeak-ng speech (the built-in WASM engine) as OGG/Opus mono. */
async function voiceNote(text: string): Promise<Buffer> {
  const espeak = await EspeakEngine.load();
  return Buffer.from(encodeOggOpus(toFloatAudio(await espeak.synthesize(text))));
}

function voiceMessage(mediaId: string, sha256: string, id = `wamid.voice.${Date.now()}`) {
  return envelope({
    contacts: [{ profile: { name: 'Kerry Fisher' }, wa_id: '16505551234' }],
    messages: [{ from: '16505551234', id, timestamp: String(Math.floor(Date.now() / 1000)), type: 'audio', audio: { id: mediaId, mime_type: 'audio/ogg; codecs=opus', sha256, voice: true } }],
  });
}

describe('WhatsApp voice notes in', () => {
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

  it('a voice note is downloaded, sha256-checked, decoded in process, transcribed and answered', async () => {
    const ogg = await voiceNote('What time do you open tomorrow?');
    const mediaId = fixture.graph.addMedia(ogg, 'audio/ogg; codecs=opus');
    stt.answer = { text: 'What time do you open tomorrow?' };
    fixture.llm.enqueue(reply.text('We open at nine.'));
    expect((await fixture.deliver(voiceMessage(mediaId, createHash('sha256').update(ogg).digest('hex')))).status).toBe(200);

    await fixture.graph.waitForSends(1);
    expect(fixture.graph.sentTexts()).toEqual(['We open at nine.']);
    // Media fetched with the bearer token: the metadata, then the bytes.
    const mediaRequests = fixture.graph.requests.filter((request) => request.method === 'GET');
    expect(mediaRequests.map((request) => request.path)).toEqual([`/v25.0/${mediaId}`, `/media-bytes/${mediaId}`]);
    expect(mediaRequests.every((request) => request.authorization === 'Bearer test-access-token')).toBe(true);
    // The STT got the decoded audio as 16 kHz mono, about as long as the note.
    expect(stt.received).toHaveLength(1);
    expect(stt.received[0]!.wav).toMatchObject({ sampleRate: 16_000, channels: 1 });
    expect(stt.received[0]!.wav.samples.length / 16_000).toBeGreaterThan(1);
    const userTurn = JSON.stringify(fixture.llm.chatRequests[0]!.body);
    expect(userTurn).toContain('What time do you open tomorrow?');
    const messages = (await fixture.backend.call('whatsapp.messages.list', { contactId: '16505551234' })).messages;
    expect(messages[0]).toMatchObject({ kind: 'audio', status: 'answered', text: '🎤 What time do you open tomorrow?' });
  });

  it('a voice note whose bytes fail the sha256 check is not transcribed; the agent is told it could not be heard', async () => {
    const ogg = await voiceNote('Hello');
    const mediaId = fixture.graph.addMedia(ogg, 'audio/ogg; codecs=opus');
    fixture.llm.enqueue(reply.text('Sorry, I could not hear that.'));
    await fixture.deliver(voiceMessage(mediaId, '0'.repeat(64)));
    await fixture.graph.waitForSends(1);
    expect(stt.received).toHaveLength(0);
    const stored = await eventually('the voice note settled', async () => (await fixture.backend.call('whatsapp.messages.list', { contactId: '16505551234' })).messages.find((message) => message.status === 'answered'));
    expect(stored.text).toContain('sha256');
  });
});
