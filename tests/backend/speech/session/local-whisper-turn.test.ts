import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParleySocketClient } from '../../../support/backend-harness';
import { reply } from '../../../support/scripted-openai-server';
import { nextVoiceEvent, sendCapture, speech, startSpeechFixture, utterance, voiceEvents, type SpeechFixture } from '../speech-fixture';
import { TEST_MODEL_TEXT, testModelPath } from '../stt/stt-fixture';

/** Every whisper decode in the loop is bounded by the engine's own deadline; the test bounds them all. */
const TURN_TIMEOUT_MS = 90_000;

let fixture: SpeechFixture;
let socket: ParleySocketClient;

beforeAll(async () => {
  fixture = await startSpeechFixture();
  await fixture.backend.call('speech.models.registerCustom', { kind: 'whisper', path: await testModelPath() });
  socket = await fixture.backend.openSocket();
}, TURN_TIMEOUT_MS);

afterAll(async () => {
  await fixture?.close();
});

describe('a hands-free voice turn with local whisper.cpp (a generated random-weight model)', () => {
  it(
    'transcribes with the real engine, partials while speaking then the final, and answers it',
    async () => {
      const [step] = fixture.llm.enqueue(reply.text('I heard you.'));
      const { streamId } = await socket.call('voice.start', { conversationId: fixture.conversationId, mode: 'hands-free' });
      // Long enough for several partial decodes however busy the machine is.
      const question = speech('Please book a table for four people at eight tonight, near the river, if you can, and ask them to keep the window seat for us.');
      await sendCapture(socket, streamId, utterance([{ silenceMs: 400 }, { speech: Float32Array.from(question, (s) => s / 32768) }, { silenceMs: 1200 }]), { pace: 1 });

      const final = await nextVoiceEvent(socket, 'voice.transcript', (data) => data.streamId === streamId && data.final, TURN_TIMEOUT_MS / 2);
      // The model's decoder is scripted: whatever it hears, it writes this.
      expect(final.text).toBe(TEST_MODEL_TEXT);
      const partials = voiceEvents(socket, 'voice.transcript', streamId).filter((data) => !data.final);
      expect(partials.length).toBeGreaterThan(0);
      expect(partials.every((partial) => partial.utteranceId === final.utteranceId && partial.text === TEST_MODEL_TEXT)).toBe(true);

      expect((await step.served).body?.messages?.at(-1)).toMatchObject({ role: 'user', content: TEST_MODEL_TEXT });
      expect(await nextVoiceEvent(socket, 'voice.playback', (data) => data.streamId === streamId && data.action === 'stop', TURN_TIMEOUT_MS / 2)).toMatchObject({ reason: 'finished' });
      const turn = voiceEvents(socket, 'voice.turn', streamId)[0];
      expect(turn?.latency.transcribeMs).toBeGreaterThan(0);
      expect(voiceEvents(socket, 'voice.error')).toEqual([]);
      await socket.call('voice.stop', { streamId });
    },
    TURN_TIMEOUT_MS,
  );
});
