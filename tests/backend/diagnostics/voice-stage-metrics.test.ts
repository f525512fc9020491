import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reply } from '../../support/scripted-openai-server';
import { stageCounts } from '../../support/stage-metrics';
import { nextVoiceEvent, sendCapture, speech, startSpeechFixture, utterance, type SpeechFixture } from '../speech/speech-fixture';
import { diagnosticsSocket, storedRows, storedSeries, totals } from './diagnostics-fixture';

const TURN_TIMEOUT_MS = 60_000;
const QUESTION = 'What is the weather like in Paris today?';

let fixture: SpeechFixture;

beforeAll(async () => {
  fixture = await startSpeechFixture();
  await fixture.useRemoteStt();
  await fixture.backend.call('settings.set', { key: 'voice.vad.silenceMs', value: 600 });
});

afterAll(async () => {
  await fixture?.close();
});

describe('a scripted voice turn in the stage time series', () => {
  it(
    'keeps every stage of a hands-free turn (end of speech, transcription, first token, total, first audio) in the store and in /metrics',
    async () => {
      const socket = await diagnosticsSocket(fixture.backend);
      fixture.stt.answer = { text: QUESTION };
      fixture.llm.enqueue(reply.text('It is sunny in Paris.', { firstTokenDelayMs: 200 }));
      const { streamId } = await socket.call('voice.start', { conversationId: fixture.conversationId, mode: 'hands-free' });
      await sendCapture(socket, streamId, utterance([{ silenceMs: 500 }, { speech: Float32Array.from(speech(QUESTION), (sample) => sample / 32768) }, { silenceMs: 1500 }]), { pace: 1 });
      await nextVoiceEvent(socket, 'voice.turn', (data) => data.streamId === streamId, TURN_TIMEOUT_MS);
      await socket.call('voice.stop', { streamId });

      const series = await storedSeries(fixture.backend);
      expect(totals(series)).toMatchObject({
        vad_end: { count: 1, errors: 0 },
        stt: { count: 1, errors: 0 },
        llm_first_token: { count: 1, errors: 0 },
        llm_total: { count: 1, errors: 0 },
        tts_first_audio: { count: 1, errors: 0 },
      });
      // The detector declares the end after the configured 600 ms of silence (rounded up to its 32 ms windows).
      const vadEnd = series.find((entry) => entry.stage === 'vad_end')!.points.find((point) => point.count > 0)!;
      expect(vadEnd.p50).toBeGreaterThanOrEqual(600 * 0.98);
      expect(vadEnd.p50).toBeLessThan(700);
      const firstToken = series.find((entry) => entry.stage === 'llm_first_token')!.points.find((point) => point.count > 0)!;
      expect(firstToken.p50).toBeGreaterThanOrEqual(200 * 0.98);

      expect(new Set((await storedRows(fixture.backend)).map((row) => row.stage))).toEqual(new Set(['vad_end', 'stt', 'llm_first_token', 'llm_total', 'tts_first_audio']));
      expect(await stageCounts(fixture.backend)).toMatchObject({ vad_end: 1, stt: 1, llm_first_token: 1, llm_total: 1, tts_first_audio: 1 });
    },
    TURN_TIMEOUT_MS,
  );
});
