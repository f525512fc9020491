import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeWav } from '#audio';
import { whatsappMediaPath, whatsappVoicePath } from '#protocol';
import { EspeakEngine } from '../../../backend/speech/tts';
import { reply } from '../../support/scripted-openai-server';
import { startFakeTranscriptionServer, type FakeTranscriptionServer } from '../speech/stt/fake-transcription-server';
import { textMessage } from './cloud-payloads';
import { describeVoiceNote } from './voice-payloads';
import { eventually, startWhatsAppFixture, transcribeThrough, type WhatsAppFixture } from './whatsapp-fixture';

/** What the panel POSTs after recording from the microphone: a WAV (here espeak-ng speech at its own rate). */
async function recording(text: string): Promise<Uint8Array> {
  return encodeWav(await (await EspeakEngine.load()).synthesize(text));
}

describe('voice notes recorded in the panel: the simulator contact’s, and the operator’s replies', () => {
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

  const postWav = (path: string, body: Uint8Array) => fixture.backend.fetch(path, { method: 'POST', headers: { 'content-type': 'audio/wav' }, body: new Uint8Array(body) });
  const thread = async (contactId: string) => (await fixture.backend.call('whatsapp.messages.list', { contactId })).messages;

  it('the simulator contact’s voice note goes through the webhook and the queue: transcribed, answered, playable', async () => {
    stt.answer = { text: 'Do you repair bikes?' };
    fixture.llm.enqueue(reply.text('Yes, we do.'));
    const response = await postWav(whatsappVoicePath({ simulator: true }), await recording('Do you repair bikes?'));
    expect(response.status).toBe(200);
    const { contactId } = (await response.json()) as { contactId: string };
    expect(contactId).toBe('simulator:15550000000');
    const messages = await eventually('the simulator’s reply read', async () => {
      const list = await thread(contactId);
      return list.some((message) => message.direction === 'out' && message.status === 'read') ? list : undefined;
    });
    expect(messages[0]).toMatchObject({ direction: 'in', kind: 'audio', text: '🎤 Do you repair bikes?', media: { voice: true, playable: true } });
    expect(messages[1]).toMatchObject({ direction: 'out', text: 'Yes, we do.' });
    // As WhatsApp records it: OGG/Opus, mono; the inbox plays it from the control route.
    const audio = await fixture.backend.fetch(whatsappMediaPath(messages[0]!.id));
    expect(audio.headers.get('content-type')).toBe('audio/ogg; codecs=opus');
    expect(describeVoiceNote(new Uint8Array(await audio.arrayBuffer())).channels).toBe(1);
    // The recognition engine got the audio decoded to 16 kHz mono.
    expect(stt.received[0]!.wav).toMatchObject({ sampleRate: 16_000, channels: 1 });
    expect(fixture.graph.requests).toEqual([]);
  });

  it('the simulator contact taps a reply button: the tap reaches the agent as the button’s title', async () => {
    fixture.llm.enqueue(reply.toolCall('whatsapp_offer_choices', { choices: ['Morning', 'Afternoon'] }), reply.text('When would you like to come?'));
    const { contactId } = await fixture.backend.call('whatsapp.simulator.send', { text: 'I want an appointment' });
    const question = await eventually('the buttons', async () => (await thread(contactId)).find((message) => message.direction === 'out' && message.choices));
    expect(question.choices).toEqual([
      { id: 'choice:0', title: 'Morning' },
      { id: 'choice:1', title: 'Afternoon' },
    ]);
    fixture.llm.enqueue(reply.text('Morning it is.'));
    await fixture.backend.call('whatsapp.simulator.send', { choice: question.choices![1]! });
    await eventually('the answer to the tap', async () => (await thread(contactId)).find((message) => message.text === 'Morning it is.'));
    const lastUser = (fixture.llm.chatRequests[2]!.body?.messages as Array<{ role: string; content: string }>).filter((message) => message.role === 'user').pop();
    expect(lastUser?.content).toBe('Afternoon');
    await expect(fixture.backend.call('whatsapp.simulator.send', {} as never)).rejects.toMatchObject({ code: 'invalid_params' });
  });

  it('the operator records a reply: sent as a voice note (uploaded OGG/Opus, voice: true), its transcript in the inbox', async () => {
    fixture.llm.enqueue(reply.text('Agent here.'));
    await fixture.deliver(textMessage('Hello').payload);
    await fixture.graph.waitForSends(1);
    stt.answer = { text: 'Hi, this is Sam.' };
    const response = await postWav(whatsappVoicePath({ contactId: '16505551234' }), await recording('Hi, this is Sam.'));
    expect(response.status).toBe(200);
    const { message } = (await response.json()) as { message: { id: string; author: string; kind: string; text: string } };
    expect(message).toMatchObject({ author: 'operator', kind: 'audio', text: 'Hi, this is Sam.' });
    const sends = await fixture.graph.waitForSends(2);
    expect(sends[1]!.body).toMatchObject({ to: '16505551234', type: 'audio', audio: { id: fixture.graph.uploads[0]!.mediaId, voice: true } });
    expect(describeVoiceNote(fixture.graph.uploads[0]!.bytes).channels).toBe(1);
    await eventually('the voice reply sent', async () => (await thread('16505551234')).find((entry) => entry.id === message.id && entry.status === 'sent'));
  });

  it('refuses what is not a WAV, and a voice reply to a contact who opted out', async () => {
    const bad = await postWav(whatsappVoicePath({ simulator: true }), new TextEncoder().encode('not audio'));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain('not a WAV file');
    await fixture.deliver(textMessage('STOP').payload);
    await eventually('the contact opted out', async () => (await fixture.backend.call('whatsapp.contacts.list', {})).contacts[0]?.optedOut || undefined);
    const refused = await postWav(whatsappVoicePath({ contactId: '16505551234' }), await recording('Are you sure?'));
    expect(refused.status).toBe(403);
    expect(fixture.graph.sends()).toEqual([]);
  });
});
