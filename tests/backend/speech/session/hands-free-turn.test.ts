import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ParleySocketClient } from '../../../support/backend-harness';
import { reply } from '../../../support/scripted-openai-server';
import { speechExtent } from '../vad/test-audio';
import { dbfs, nextVoiceEvent, sendCapture, silence, speech, startSpeechFixture, stateSequence, utterance, voiceEvents, type SpeechFixture } from '../speech-fixture';

const TURN_TIMEOUT_MS = 60_000;
const QUESTION = 'What is the weather like in Paris today?';

let fixture: SpeechFixture;
let socket: ParleySocketClient;

beforeAll(async () => {
  fixture = await startSpeechFixture();
  await fixture.useRemoteStt();
});

beforeEach(async () => {
  socket = await fixture.backend.openSocket();
  fixture.stt.received.length = 0;
  fixture.llm.reset();
  await fixture.backend.call('settings.set', { key: 'voice.vad.silenceMs', value: 500 });
});

afterAll(async () => {
  await fixture?.close();
});

/** Seconds of speech (by its true extent) inside a PCM16 clip. */
function speechSeconds(pcm: Int16Array): number {
  const { startMs, endMs } = speechExtent(Float32Array.from(pcm, (sample) => sample / 32768));
  return (endMs - startMs) / 1000;
}

describe('a hands-free voice turn: Silero VAD decides where the utterance ends', () => {
  it(
    'ends the utterance after the configured silence, transcribes it and answers',
    async () => {
      await fixture.backend.call('settings.set', { key: 'voice.vad.silenceMs', value: 700 });
      fixture.stt.answer = { text: QUESTION };
      fixture.llm.enqueue(reply.text('It is sunny.', { firstTokenDelayMs: 200 }));
      const { streamId } = await socket.call('voice.start', { conversationId: fixture.conversationId, mode: 'hands-free' });
      expect(await nextVoiceEvent(socket, 'voice.state', (data) => data.streamId === streamId)).toMatchObject({ state: 'listening' });

      const question = speech(QUESTION);
      await sendCapture(socket, streamId, utterance([{ silenceMs: 600 }, { speech: Float32Array.from(question, (s) => s / 32768) }, { silenceMs: 1500 }]), { pace: 1 });

      expect(await nextVoiceEvent(socket, 'voice.activity', (data) => data.streamId === streamId && data.speaking)).toBeTruthy();
      expect(await nextVoiceEvent(socket, 'voice.activity', (data) => data.streamId === streamId && !data.speaking)).toBeTruthy();
      const final = await nextVoiceEvent(socket, 'voice.transcript', (data) => data.streamId === streamId && data.final);
      expect(final.text).toBe(QUESTION);

      // The transcriber got the speech with a bit of pre-roll and the 700 ms of silence that ended it,
      // not the seconds of silence around it.
      const finalUpload = fixture.stt.received.at(-1)!.wav.samples;
      const uploaded = finalUpload.length / 16_000;
      const spoken = speechSeconds(question);
      expect(uploaded).toBeGreaterThan(spoken + 0.6);
      expect(uploaded).toBeLessThan(spoken + 0.7 + 0.5 + 0.4);
      expect(speechSeconds(finalUpload)).toBeCloseTo(spoken, 1);
      expect(dbfs(finalUpload)).toBeGreaterThan(-35);

      await nextVoiceEvent(socket, 'voice.playback', (data) => data.streamId === streamId && data.action === 'stop' && data.reason === 'finished');
      expect(stateSequence(socket, streamId)).toEqual(['listening', 'transcribing', 'thinking', 'speaking', 'listening']);
      const { messages } = await fixture.backend.call('conversations.messages', { id: fixture.conversationId });
      expect(messages.slice(-2).map(({ role, content }) => ({ role, content }))).toEqual([
        { role: 'user', content: QUESTION },
        { role: 'assistant', content: 'It is sunny.' },
      ]);
      await socket.call('voice.stop', { streamId });
    },
    TURN_TIMEOUT_MS,
  );

  it(
    'splits at a pause longer than the configured silence, and keeps a shorter one inside one utterance once the setting is raised (live)',
    async () => {
      const first = speech('Book a table for two.');
      const second = speech('At eight tonight, please.');
      const toFloat = (pcm: Int16Array) => Float32Array.from(pcm, (s) => s / 32768);
      const withPause = utterance([{ silenceMs: 300 }, { speech: toFloat(first) }, { silenceMs: 700 }, { speech: toFloat(second) }, { silenceMs: 1800 }]);
      const finals = (streamId: number) => voiceEvents(socket, 'voice.transcript', streamId).filter((data) => data.final);
      // Nothing intelligible comes back, so no turn starts between the checks.
      fixture.stt.answer = { text: '' };

      await fixture.backend.call('settings.set', { key: 'voice.vad.silenceMs', value: 400 });
      const { streamId } = await socket.call('voice.start', { conversationId: fixture.conversationId, mode: 'hands-free' });
      await sendCapture(socket, streamId, withPause, { pace: 3 });
      await expect.poll(() => finals(streamId).length, { timeout: 10_000 }).toBe(2);
      expect(voiceEvents(socket, 'voice.activity', streamId).map((data) => data.speaking)).toEqual([true, false, true, false]);

      // The Voice panel's slider moves while the stream is open: the next pause of 700 ms no longer ends it.
      await fixture.backend.call('settings.set', { key: 'voice.vad.silenceMs', value: 1200 });
      fixture.stt.received.length = 0;
      await sendCapture(socket, streamId, withPause, { pace: 3 });
      await expect.poll(() => finals(streamId).length, { timeout: 10_000 }).toBe(3);
      expect(voiceEvents(socket, 'voice.activity', streamId).map((data) => data.speaking)).toEqual([true, false, true, false, true, false]);
      // One upload holds both sentences and the pause between them.
      expect(fixture.stt.received.at(-1)!.wav.samples.length / 16_000).toBeGreaterThan(speechSeconds(first) + 0.7 + speechSeconds(second));
      await socket.call('voice.stop', { streamId });
    },
    TURN_TIMEOUT_MS,
  );

  it(
    'works the same when the audio arrives faster than real time (a backlog after a network stall)',
    async () => {
      fixture.stt.answer = { text: QUESTION };
      fixture.llm.enqueue(reply.text('It is sunny.'));
      const { streamId } = await socket.call('voice.start', { conversationId: fixture.conversationId, mode: 'hands-free' });
      const question = speech(QUESTION);
      await sendCapture(socket, streamId, utterance([{ silenceMs: 600 }, { speech: Float32Array.from(question, (s) => s / 32768) }, { silenceMs: 1500 }]), { pace: Infinity });
      const final = await nextVoiceEvent(socket, 'voice.transcript', (data) => data.streamId === streamId && data.final);
      expect(final.text).toBe(QUESTION);
      const finalUpload = fixture.stt.received.at(-1)!.wav.samples;
      expect(speechSeconds(finalUpload)).toBeCloseTo(speechSeconds(question), 1);
      expect(finalUpload.length / 16_000).toBeLessThan(speechSeconds(question) + 0.5 + 0.5 + 0.4);
      await nextVoiceEvent(socket, 'voice.playback', (data) => data.streamId === streamId && data.action === 'stop');
      await socket.call('voice.stop', { streamId });
    },
    TURN_TIMEOUT_MS,
  );

  it(
    'takes speech that resumes while the last words are still being transcribed as the same question: one answer, to all of it',
    async () => {
      // A slow transcriber (local whisper on a small machine): the user goes on before it answers.
      fixture.stt.answer = { text: 'Book a table.', delayMs: 1500 };
      const [answerStep] = fixture.llm.enqueue(reply.text('Booked.'));
      const { streamId } = await socket.call('voice.start', { conversationId: fixture.conversationId, mode: 'hands-free' });
      const toFloat = (pcm: Int16Array) => Float32Array.from(pcm, (s) => s / 32768);
      const requestsBefore = fixture.llm.chatRequests.length;
      await sendCapture(
        socket,
        streamId,
        utterance([{ silenceMs: 300 }, { speech: toFloat(speech('Book a table.')) }, { silenceMs: 800 }, { speech: toFloat(speech('Book a table.')) }, { silenceMs: 1200 }]),
        { pace: 1 },
      );
      await nextVoiceEvent(socket, 'voice.playback', (data) => data.streamId === streamId && data.action === 'stop' && data.reason === 'finished');
      expect(fixture.llm.chatRequests.length - requestsBefore).toBe(1);
      expect((await answerStep.served).body?.messages?.at(-1)).toMatchObject({ role: 'user', content: 'Book a table. Book a table.' });
      const { messages } = await fixture.backend.call('conversations.messages', { id: fixture.conversationId });
      expect(messages.slice(-2).map(({ role, content, status }) => ({ role, content, status }))).toEqual([
        { role: 'user', content: 'Book a table. Book a table.', status: 'complete' },
        { role: 'assistant', content: 'Booked.', status: 'complete' },
      ]);
      await socket.call('voice.stop', { streamId });
    },
    TURN_TIMEOUT_MS,
  );

  it(
    'barge-in: speaking over the answer stops playback at once, cancels the turn and takes the new question',
    async () => {
      fixture.stt.answer = { text: 'Tell me a long story.' };
      const story = Array.from({ length: 16 }, (_, index) => `This is sentence number ${index + 1} of a long story.`).join(' ');
      const [storyStep] = fixture.llm.enqueue(reply.text(story, { chunkDelayMs: 150 }), reply.text('Sure, briefly.'));
      const { streamId } = await socket.call('voice.start', { conversationId: fixture.conversationId, mode: 'hands-free' });
      const toFloat = (pcm: Int16Array) => Float32Array.from(pcm, (s) => s / 32768);

      await sendCapture(socket, streamId, utterance([{ silenceMs: 300 }, { speech: toFloat(speech('Tell me a long story.')) }, { silenceMs: 800 }]), { pace: 1 });
      await nextVoiceEvent(socket, 'voice.playback', (data) => data.streamId === streamId && data.action === 'start');
      await nextVoiceEvent(socket, 'voice.state', (data) => data.streamId === streamId && data.state === 'speaking');
      // The microphone keeps sending while the agent speaks (quiet room)...
      await sendCapture(socket, streamId, silence(600), { pace: 1 });
      expect(voiceEvents(socket, 'voice.playback', streamId).filter((data) => data.action === 'stop')).toEqual([]);

      // ...then the user speaks over it.
      fixture.stt.answer = { text: 'Stop, just the short version.' };
      const sending = sendCapture(socket, streamId, utterance([{ speech: toFloat(speech('Stop, just the short version.')) }, { silenceMs: 1000 }]), { pace: 1 });
      const stop = await nextVoiceEvent(socket, 'voice.playback', (data) => data.streamId === streamId && data.action === 'stop');
      expect(stop).toMatchObject({ reason: 'barge-in' });
      expect(await storyStep.outcome).toBe('aborted');
      await sending;

      const finals = () => voiceEvents(socket, 'voice.transcript', streamId).filter((data) => data.final);
      await nextVoiceEvent(socket, 'voice.transcript', (data) => data.streamId === streamId && data.final && data.text === 'Stop, just the short version.');
      expect(finals().map((data) => data.text)).toEqual(['Tell me a long story.', 'Stop, just the short version.']);
      await nextVoiceEvent(socket, 'voice.playback', (data) => data.streamId === streamId && data.action === 'stop' && data.reason === 'finished');

      const { messages } = await fixture.backend.call('conversations.messages', { id: fixture.conversationId });
      expect(messages.slice(-4).map(({ role, status }) => `${role}:${status}`)).toEqual(['user:complete', 'assistant:cancelled', 'user:complete', 'assistant:complete']);
      expect(messages.at(-3)!.content.length).toBeLessThan(story.length);
      expect(messages.at(-1)!.content).toBe('Sure, briefly.');
      await socket.call('voice.stop', { streamId });
    },
    TURN_TIMEOUT_MS,
  );
});
