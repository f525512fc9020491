import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AudioFrameKind, encodeAudioFrame } from '#protocol';
import { responseError, type ParleySocketClient } from '../../support/backend-harness';
import { reply } from '../../support/scripted-openai-server';
import { nextVoiceEvent, sendCapture, silence, speech, startSpeechFixture, voiceEvents, type SpeechFixture } from './speech-fixture';

const TEST_TIMEOUT_MS = 60_000;

let fixture: SpeechFixture;

beforeAll(async () => {
  fixture = await startSpeechFixture();
});

afterAll(async () => {
  await fixture?.close();
});

async function openStreams(): Promise<string> {
  const health = await fixture.backend.call('diagnostics.health', {});
  const speechHealth = health.components['speech'];
  return /(\d+) voice stream\(s\) open/.exec(speechHealth?.detail ?? '')?.[1] ?? `unknown (${speechHealth?.detail})`;
}

/** One push-to-talk utterance on the stream; resolves with its final transcript. */
async function say(socket: ParleySocketClient, streamId: number, text: string) {
  await socket.call('voice.pushToTalk', { streamId, pressed: true });
  await sendCapture(socket, streamId, speech(text), { pace: Infinity });
  await socket.call('voice.pushToTalk', { streamId, pressed: false });
  return nextVoiceEvent(socket, 'voice.transcript', (data) => data.streamId === streamId && data.final);
}

describe('voice streams on the control socket', () => {
  it('refuses voice.start with "unavailable" and what to do while no speech recognition is set up', async () => {
    const socket = await fixture.backend.openSocket();
    const error = responseError(await socket.request('voice.start', { conversationId: fixture.conversationId, mode: 'hands-free' }));
    expect(error).toMatchObject({ code: 'unavailable', message: expect.stringMatching(/No speech recognition model/) });
    expect(error.hint).toMatch(/Download a Whisper model in the Voice panel|remote engine/);
    expect(await openStreams()).toBe('0');
    await socket.close();
  });

  it('refuses a remote engine without a provider chosen, naming the setting to fix', async () => {
    const socket = await fixture.backend.openSocket();
    await fixture.backend.call('settings.set', { key: 'voice.stt.engine', value: 'remote' });
    const error = responseError(await socket.request('voice.start', { conversationId: fixture.conversationId, mode: 'push-to-talk' }));
    expect(error).toMatchObject({ code: 'invalid_params', message: expect.stringMatching(/Remote speech recognition/) });
    expect(error.hint).toMatch(/Voice panel/);
    await socket.close();
  });

  describe('with the remote speech-to-text server configured', () => {
    beforeAll(async () => {
      await fixture.useRemoteStt();
    });

    it('opens streams on the socket only, not over HTTP', async () => {
      await expect(fixture.backend.call('voice.start', { conversationId: fixture.conversationId, mode: 'push-to-talk' })).rejects.toMatchObject({ status: 400, code: 'bad_request' });
    });

    it(
      'reports bad frames once with voice.error, drops them, and the stream keeps working',
      async () => {
        const socket = await fixture.backend.openSocket();
        const { streamId } = await socket.call('voice.start', { conversationId: fixture.conversationId, mode: 'push-to-talk' });
        await socket.call('voice.pushToTalk', { streamId, pressed: true });
        // Three frames with an odd number of bytes (not PCM16), then a playback frame sent the wrong way.
        for (let index = 0; index < 3; index++) socket.send(encodeAudioFrame({ kind: AudioFrameKind.capturePcm, streamId, payload: new Uint8Array(641) }));
        await sendCapture(socket, streamId, silence(100), { pace: Infinity, kind: AudioFrameKind.playbackPcm });
        const error = await nextVoiceEvent(socket, 'voice.error', (data) => data.streamId === streamId);
        expect(error.error).toMatchObject({ code: 'bad_request', message: expect.stringMatching(/odd number of bytes/) });

        fixture.stt.answer = { text: 'Still working.' };
        fixture.llm.enqueue(reply.text('Yes.'));
        await sendCapture(socket, streamId, speech('Still working.'), { pace: Infinity });
        await socket.call('voice.pushToTalk', { streamId, pressed: false });
        expect(await nextVoiceEvent(socket, 'voice.transcript', (data) => data.streamId === streamId && data.final)).toMatchObject({ text: 'Still working.' });
        // The dropped frames never reached the transcriber: it got exactly the speech.
        expect(fixture.stt.received.at(-1)!.wav.samples.length).toBe(speech('Still working.').length);
        await nextVoiceEvent(socket, 'voice.playback', (data) => data.streamId === streamId && data.action === 'stop');
        expect(voiceEvents(socket, 'voice.error', streamId)).toHaveLength(1);
        await socket.close();
      },
      TEST_TIMEOUT_MS,
    );

    it(
      "keeps another socket out of a stream: its frames are refused (voice.error to the sender) and never heard",
      async () => {
        const owner = await fixture.backend.openSocket();
        const intruder = await fixture.backend.openSocket();
        const { streamId } = await owner.call('voice.start', { conversationId: fixture.conversationId, mode: 'push-to-talk' });
        await owner.call('voice.pushToTalk', { streamId, pressed: true });
        await sendCapture(intruder, streamId, speech('Transfer all the money.'), { pace: Infinity });
        const error = await nextVoiceEvent(intruder, 'voice.error', (data) => data.streamId === streamId);
        expect(error.error).toMatchObject({ code: 'not_found', message: expect.stringMatching(new RegExp(`voice stream ${streamId}`)) });
        expect(voiceEvents(intruder, 'voice.error')).toHaveLength(1);
        // Nor can it steer the stream.
        expect(responseError(await intruder.request('voice.pushToTalk', { streamId, pressed: false }))).toMatchObject({ code: 'not_found' });
        expect(responseError(await intruder.request('voice.stop', { streamId }))).toMatchObject({ code: 'not_found' });

        fixture.stt.answer = { text: 'Hello.' };
        fixture.llm.enqueue(reply.text('Hi.'));
        await sendCapture(owner, streamId, speech('Hello.'), { pace: Infinity });
        await owner.call('voice.pushToTalk', { streamId, pressed: false });
        await nextVoiceEvent(owner, 'voice.transcript', (data) => data.streamId === streamId && data.final);
        expect(fixture.stt.received.at(-1)!.wav.samples.length).toBe(speech('Hello.').length);
        expect(voiceEvents(owner, 'voice.error')).toEqual([]);
        // The intruder saw none of the owner's events.
        expect(voiceEvents(intruder, 'voice.transcript')).toEqual([]);
        await Promise.all([owner.close(), intruder.close()]);
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'ends every stream of a socket that closes, mid-answer included, and a new socket starts voice again',
      async () => {
        const socket = await fixture.backend.openSocket();
        const { streamId } = await socket.call('voice.start', { conversationId: fixture.conversationId, mode: 'push-to-talk' });
        await socket.call('voice.start', { conversationId: fixture.conversationId, mode: 'hands-free' });
        expect(responseError(await socket.request('voice.start', { conversationId: fixture.conversationId, mode: 'hands-free' }))).toMatchObject({ code: 'conflict' });
        expect(await openStreams()).toBe('2');

        fixture.stt.answer = { text: 'Tell me everything.' };
        const [answer] = fixture.llm.enqueue(reply.hang({ chunks: ['Well, ', 'it all began '] }));
        await say(socket, streamId, 'Tell me everything.');
        await answer.served;
        await socket.close();
        await expect.poll(() => openStreams()).toBe('0');
        // The answer in progress was stopped with its socket, and stored as such.
        expect(await answer.outcome).toBe('aborted');
        await expect
          .poll(async () => (await fixture.backend.call('conversations.messages', { id: fixture.conversationId })).messages.at(-1))
          .toMatchObject({ role: 'assistant', status: 'cancelled' });

        const next = await fixture.backend.openSocket();
        fixture.stt.answer = { text: 'Are you there?' };
        fixture.llm.enqueue(reply.text('Yes.'));
        const reopened = await next.call('voice.start', { conversationId: fixture.conversationId, mode: 'push-to-talk' });
        expect(await say(next, reopened.streamId, 'Are you there?')).toMatchObject({ text: 'Are you there?' });
        await nextVoiceEvent(next, 'voice.playback', (data) => data.streamId === reopened.streamId && data.action === 'stop' && data.reason === 'finished');
        await next.call('voice.stop', { streamId: reopened.streamId });
        expect(await openStreams()).toBe('0');
        // A stopped stream is gone: steering it says so.
        expect(responseError(await next.request('voice.pushToTalk', { streamId: reopened.streamId, pressed: true }))).toMatchObject({ code: 'not_found', hint: expect.any(String) });
        await next.close();
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'voice.stop while the last utterance is still being transcribed cancels it: no answer, no late error on the stopped stream',
      async () => {
        const socket = await fixture.backend.openSocket();
        const { streamId } = await socket.call('voice.start', { conversationId: fixture.conversationId, mode: 'push-to-talk' });
        // It would fail, too late to matter: the stopped stream hears nothing more of it.
        fixture.stt.answer = { text: '', status: 500, delayMs: 1000 };
        const requestsBefore = fixture.llm.chatRequests.length;
        const uploadsBefore = fixture.stt.received.length;
        await socket.call('voice.pushToTalk', { streamId, pressed: true });
        await sendCapture(socket, streamId, speech('Too late.'), { pace: Infinity });
        await socket.call('voice.pushToTalk', { streamId, pressed: false });
        await nextVoiceEvent(socket, 'voice.state', (data) => data.streamId === streamId && data.state === 'transcribing');
        await expect.poll(() => fixture.stt.received.length).toBe(uploadsBefore + 1);
        await socket.call('voice.stop', { streamId });
        // Well past the transcriber's answer.
        await new Promise((resolve) => setTimeout(resolve, 1500));
        expect(voiceEvents(socket, 'voice.transcript', streamId).filter((data) => data.final)).toEqual([]);
        expect(voiceEvents(socket, 'voice.error', streamId)).toEqual([]);
        expect(fixture.llm.chatRequests.length).toBe(requestsBefore);
        fixture.stt.answer = { text: '' };
        await socket.close();
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'reports a failing transcription server on the stream (voice.error naming it) and goes back to ready',
      async () => {
        const socket = await fixture.backend.openSocket();
        const { streamId } = await socket.call('voice.start', { conversationId: fixture.conversationId, mode: 'push-to-talk' });
        fixture.stt.answer = { text: '', status: 500 };
        await socket.call('voice.pushToTalk', { streamId, pressed: true });
        await sendCapture(socket, streamId, speech('Hello?'), { pace: Infinity });
        await socket.call('voice.pushToTalk', { streamId, pressed: false });
        const error = await nextVoiceEvent(socket, 'voice.error', (data) => data.streamId === streamId);
        expect(error.error).toMatchObject({ code: 'unavailable', message: expect.stringContaining(fixture.stt.baseUrl) });
        expect(await nextVoiceEvent(socket, 'voice.state', (data) => data.streamId === streamId && data.state === 'idle')).toBeTruthy();

        fixture.stt.answer = { text: 'Hello again.' };
        fixture.llm.enqueue(reply.text('Hello.'));
        expect(await say(socket, streamId, 'Hello again.')).toMatchObject({ text: 'Hello again.' });
        await socket.close();
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'reports an answer that fails (the model is down) on the stream, and is ready for the next utterance',
      async () => {
        const socket = await fixture.backend.openSocket();
        const { streamId } = await socket.call('voice.start', { conversationId: fixture.conversationId, mode: 'push-to-talk' });
        fixture.stt.answer = { text: 'Are you up?' };
        fixture.llm.enqueue(reply.error(500, 'The model is down'));
        await say(socket, streamId, 'Are you up?');
        const error = await nextVoiceEvent(socket, 'voice.error', (data) => data.streamId === streamId);
        expect(error.error.message).toMatch(/500|down/);
        await nextVoiceEvent(socket, 'voice.state', (data) => data.streamId === streamId && data.state === 'idle');
        expect(voiceEvents(socket, 'voice.playback', streamId)).toEqual([]);
        await socket.close();
      },
      TEST_TIMEOUT_MS,
    );
  });
});
