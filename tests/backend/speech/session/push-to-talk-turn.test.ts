import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reply } from '../../../support/scripted-openai-server';
import type { ParleySocketClient } from '../../../support/backend-harness';
import { dbfs, loudFrameShare, nextVoiceEvent, playbackSamples, sendCapture, silence, speech, startSpeechFixture, stateSequence, voiceEvents, type SpeechFixture } from '../speech-fixture';
import { stageCounts } from '../../../support/stage-metrics';

const QUESTION = 'What is the weather like in Paris today? I would like to go for a walk along the river.';
const HEARD = 'What is the weather like in Paris today?';
const ANSWER = 'It is **sunny** in Paris today. Expect twenty degrees this afternoon, so a walk is a fine idea.';
const TURN_TIMEOUT_MS = 60_000;
/** The scripted model's fixed time to first token. */
const FIRST_TOKEN_DELAY_MS = 300;

let fixture: SpeechFixture;
let socket: ParleySocketClient;

beforeAll(async () => {
  fixture = await startSpeechFixture();
  await fixture.useRemoteStt();
  socket = await fixture.backend.openSocket();
});

afterAll(async () => {
  await fixture?.close();
});

describe('a push-to-talk voice turn over the control socket (remote STT, scripted LLM, espeak-ng)', () => {
  it('hears the utterance, answers it in the conversation and speaks the answer, with the latency of each stage', async () => {
    fixture.stt.answer = { text: HEARD };
    const [step] = fixture.llm.enqueue(reply.text(ANSWER, { firstTokenDelayMs: FIRST_TOKEN_DELAY_MS }));
    const { streamId } = await socket.call('voice.start', { conversationId: fixture.conversationId, mode: 'push-to-talk' });

    // What the microphone heard before the press: the backend keeps its last 300 ms as pre-roll.
    await sendCapture(socket, streamId, silence(500), { pace: Infinity });
    await socket.call('voice.pushToTalk', { streamId, pressed: true });
    const spoken = speech(QUESTION);
    await sendCapture(socket, streamId, spoken, { pace: 1 });
    // Partial transcripts arrive while the user still holds the button (about once a second).
    expect(voiceEvents(socket, 'voice.transcript', streamId).filter((data) => !data.final).length).toBeGreaterThan(0);
    await socket.call('voice.pushToTalk', { streamId, pressed: false });

    const final = await nextVoiceEvent(socket, 'voice.transcript', (data) => data.streamId === streamId && data.final);
    expect(final.text).toBe(HEARD);
    const partials = voiceEvents(socket, 'voice.transcript', streamId).filter((data) => !data.final);
    expect(partials.every((partial) => partial.utteranceId === final.utteranceId && partial.text === HEARD)).toBe(true);

    // The final transcription got the whole utterance: pre-roll + what was said while pressed.
    const lastUpload = fixture.stt.received.at(-1)!;
    expect(lastUpload.wav.sampleRate).toBe(16_000);
    expect(lastUpload.wav.samples.length).toBe(4800 + spoken.length);

    const start = await nextVoiceEvent(socket, 'voice.playback', (data) => data.streamId === streamId && data.action === 'start');
    const startedAt = performance.now();
    expect(start).toMatchObject({ action: 'start', sampleRate: expect.any(Number) });
    const turn = await nextVoiceEvent(socket, 'voice.turn', (data) => data.streamId === streamId);
    expect(turn.utteranceId).toBe(final.utteranceId);
    const { transcribeMs, firstTokenMs, firstAudioMs, totalMs } = turn.latency;
    expect(transcribeMs).toBeGreaterThanOrEqual(0);
    // The scripted model waits 300 ms before its first token: the breakdown shows it there.
    expect(firstTokenMs).toBeGreaterThanOrEqual(FIRST_TOKEN_DELAY_MS - 20);
    expect(firstAudioMs).toBeGreaterThanOrEqual(0);
    expect(totalMs).toBeGreaterThanOrEqual(transcribeMs + firstTokenMs! + firstAudioMs! - 3);

    const stop = await nextVoiceEvent(socket, 'voice.playback', (data) => data.streamId === streamId && data.action === 'stop');
    expect(stop).toMatchObject({ action: 'stop', reason: 'finished' });

    // The answer's speech came as playback frames: as long as the answer takes to say, and loud.
    const frames = playbackSamples(socket, streamId);
    const pcm = Int16Array.from(frames.flatMap((frame) => [...frame]));
    const seconds = pcm.length / (start as { sampleRate: number }).sampleRate;
    expect(seconds).toBeGreaterThan(3);
    expect(seconds).toBeLessThan(12);
    expect(dbfs(pcm)).toBeGreaterThan(-30);
    expect(loudFrameShare(pcm, (start as { sampleRate: number }).sampleRate)).toBeGreaterThan(0.4);
    // "Finished" means the console has played it all: not before the audio's own length has passed.
    expect(performance.now() - startedAt).toBeGreaterThan(seconds * 1000 * 0.8);

    expect(stateSequence(socket, streamId)).toEqual(['listening', 'transcribing', 'thinking', 'speaking', 'idle']);
    // The detector heard the user, and after the release no longer does (the console stops showing "hearing you").
    expect(voiceEvents(socket, 'voice.activity', streamId).at(0)).toMatchObject({ speaking: true });
    expect(voiceEvents(socket, 'voice.activity', streamId).at(-1)).toMatchObject({ speaking: false });

    // The model was asked what the user said, and the exchange is stored like a typed one.
    expect((await step.served).body?.messages?.at(-1)).toMatchObject({ role: 'user', content: HEARD });
    const { messages } = await fixture.backend.call('conversations.messages', { id: fixture.conversationId });
    expect(messages.map(({ role, content, status }) => ({ role, content, status }))).toEqual([
      { role: 'user', content: HEARD, status: 'complete' },
      { role: 'assistant', content: ANSWER, status: 'complete' },
    ]);
    expect(voiceEvents(socket, 'voice.error')).toEqual([]);
    // Each stage of the turn is in /metrics as parley_stage_duration_seconds{stage}.
    expect(await stageCounts(fixture.backend)).toMatchObject({ stt: 1, llm_first_token: 1, llm_total: 1, tts_first_audio: 1 });
    await socket.call('voice.stop', { streamId });
  }, TURN_TIMEOUT_MS);

  it('takes a new press during the answer as barge-in: playback stops, the answer is stored as cancelled', async () => {
    fixture.stt.answer = { text: 'Tell me a long story.' };
    const long = Array.from({ length: 12 }, (_, index) => `This is sentence number ${index + 1} of a long story.`).join(' ');
    const [storyStep] = fixture.llm.enqueue(reply.text(long, { chunkDelayMs: 120 }), reply.text('Fine, a short one.'));
    const { streamId } = await socket.call('voice.start', { conversationId: fixture.conversationId, mode: 'push-to-talk' });
    await socket.call('voice.pushToTalk', { streamId, pressed: true });
    await sendCapture(socket, streamId, speech('Tell me a long story.'), { pace: 4 });
    await socket.call('voice.pushToTalk', { streamId, pressed: false });
    await nextVoiceEvent(socket, 'voice.playback', (data) => data.streamId === streamId && data.action === 'start');

    fixture.stt.answer = { text: 'Actually, make it short.' };
    await socket.call('voice.pushToTalk', { streamId, pressed: true });
    const stop = await nextVoiceEvent(socket, 'voice.playback', (data) => data.streamId === streamId && data.action === 'stop');
    expect(stop).toMatchObject({ reason: 'barge-in' });
    expect(await storyStep.outcome).toBe('aborted');
    await sendCapture(socket, streamId, speech('Actually, make it short.'), { pace: 4 });
    await socket.call('voice.pushToTalk', { streamId, pressed: false });
    expect(await nextVoiceEvent(socket, 'voice.transcript', (data) => data.streamId === streamId && data.final && data.text === 'Actually, make it short.')).toBeTruthy();
    await nextVoiceEvent(socket, 'voice.playback', (data) => data.streamId === streamId && data.action === 'stop' && data.reason === 'finished');

    const { messages } = await fixture.backend.call('conversations.messages', { id: fixture.conversationId });
    const story = messages.at(-3)!;
    expect(messages.at(-4)).toMatchObject({ role: 'user', content: 'Tell me a long story.' });
    expect(story).toMatchObject({ role: 'assistant', status: 'cancelled' });
    expect(long.startsWith(story.content)).toBe(true);
    expect(story.content.length).toBeLessThan(long.length);
    expect(messages.slice(-2).map(({ role, content, status }) => ({ role, content, status }))).toEqual([
      { role: 'user', content: 'Actually, make it short.', status: 'complete' },
      { role: 'assistant', content: 'Fine, a short one.', status: 'complete' },
    ]);
    await socket.call('voice.stop', { streamId });
  }, TURN_TIMEOUT_MS);

  it('voice.interrupt stops the answer being spoken (the Stop answer button) and the stream goes on', async () => {
    fixture.stt.answer = { text: 'Count slowly to a hundred.' };
    const counting = Array.from({ length: 30 }, (_, index) => `Number ${index + 1}.`).join(' ');
    const [countStep] = fixture.llm.enqueue(reply.text(counting, { chunkDelayMs: 150 }));
    const { streamId } = await socket.call('voice.start', { conversationId: fixture.conversationId, mode: 'push-to-talk' });
    await socket.call('voice.pushToTalk', { streamId, pressed: true });
    await sendCapture(socket, streamId, speech('Count slowly to a hundred.'), { pace: 4 });
    await socket.call('voice.pushToTalk', { streamId, pressed: false });
    await nextVoiceEvent(socket, 'voice.playback', (data) => data.streamId === streamId && data.action === 'start');

    await socket.call('voice.interrupt', { streamId });
    expect(await nextVoiceEvent(socket, 'voice.playback', (data) => data.streamId === streamId && data.action === 'stop')).toMatchObject({ reason: 'interrupted' });
    expect(await countStep.outcome).toBe('aborted');
    await nextVoiceEvent(socket, 'voice.state', (data) => data.streamId === streamId && data.state === 'idle');
    const { messages } = await fixture.backend.call('conversations.messages', { id: fixture.conversationId });
    expect(messages.at(-1)).toMatchObject({ role: 'assistant', status: 'cancelled' });

    // The same stream takes the next utterance.
    fixture.stt.answer = { text: 'Thanks.' };
    fixture.llm.enqueue(reply.text('You are welcome.'));
    await socket.call('voice.pushToTalk', { streamId, pressed: true });
    await sendCapture(socket, streamId, speech('Thanks.'), { pace: 4 });
    await socket.call('voice.pushToTalk', { streamId, pressed: false });
    expect(await nextVoiceEvent(socket, 'voice.playback', (data) => data.streamId === streamId && data.action === 'stop' && data.reason === 'finished')).toBeTruthy();
    await socket.call('voice.stop', { streamId });
  }, TURN_TIMEOUT_MS);

  it(
    'answers an utterance whose frames arrived in a burst (the detector catches up after the release without cancelling the answer)',
    async () => {
      fixture.stt.answer = { text: 'Quick question.' };
      const [step] = fixture.llm.enqueue(reply.text('Quick answer.'));
      const { streamId } = await socket.call('voice.start', { conversationId: fixture.conversationId, mode: 'push-to-talk' });
      await socket.call('voice.pushToTalk', { streamId, pressed: true });
      await sendCapture(socket, streamId, speech('Quick question, with a few more words to make it last.'), { pace: Infinity });
      await socket.call('voice.pushToTalk', { streamId, pressed: false });
      expect(await nextVoiceEvent(socket, 'voice.playback', (data) => data.streamId === streamId && data.action === 'stop')).toMatchObject({ reason: 'finished' });
      expect(await step.outcome).toBe('completed');
      const { messages } = await fixture.backend.call('conversations.messages', { id: fixture.conversationId });
      expect(messages.at(-1)).toMatchObject({ role: 'assistant', content: 'Quick answer.', status: 'complete' });
      await socket.call('voice.stop', { streamId });
    },
    TURN_TIMEOUT_MS,
  );

  it('a release with nothing said gives an empty final transcript and no turn', async () => {
    const requestsBefore = fixture.llm.chatRequests.length;
    const { streamId } = await socket.call('voice.start', { conversationId: fixture.conversationId, mode: 'push-to-talk' });
    await socket.call('voice.pushToTalk', { streamId, pressed: true });
    await sendCapture(socket, streamId, silence(800), { pace: Infinity });
    await socket.call('voice.pushToTalk', { streamId, pressed: false });
    expect(await nextVoiceEvent(socket, 'voice.transcript', (data) => data.streamId === streamId && data.final)).toMatchObject({ text: '' });
    await nextVoiceEvent(socket, 'voice.state', (data) => data.streamId === streamId && data.state === 'idle');
    expect(fixture.llm.chatRequests.length).toBe(requestsBefore);
    await socket.call('voice.stop', { streamId });
  }, TURN_TIMEOUT_MS);
});
