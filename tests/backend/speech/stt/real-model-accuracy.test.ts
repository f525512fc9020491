/**
 * Accuracy with a real Whisper model: espeak-ng speaks 20 known sentences, the in-process engines
 * transcribe them, and the word error rate must stay under 15%. smart-whisper runs each sentence
 * with audio_ctx scaled to it and with the full window, which prints what the speed-up costs in
 * accuracy. Only runs when
 * PARLEY_TEST_WHISPER_MODEL points to a ggml model (ggml-base.en.bin...): no weights can be
 * downloaded by the tests.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { InProcessWhisperEngine, SmartWhisperEngine, type AudioContextMode, type SpeechToTextEngine } from '../../../../backend/speech/stt';
import { speak } from '../../../support/ggml-whisper-speech';
import { wordErrorRate } from './word-error-rate';

const MODEL = process.env.PARLEY_TEST_WHISPER_MODEL;
if (!MODEL) {
  console.info('[stt] skipping the real-model accuracy test: set PARLEY_TEST_WHISPER_MODEL to a ggml Whisper model (e.g. ggml-base.en.bin) to run it');
}

const SENTENCES = [
  'Please book a table for two people tonight.',
  'The weather will be sunny with a light breeze.',
  'Can you remind me to call my mother tomorrow morning?',
  'How long does it take to drive to the airport?',
  'Turn off the lights in the living room.',
  'What is the capital city of France?',
  'I would like to order a large pizza with mushrooms.',
  'The meeting has been moved to Thursday afternoon.',
  'Send a message to the team that I am running late.',
  'Where is the nearest train station from here?',
  'Please read me the latest news about the economy.',
  'My flight leaves early on Monday morning.',
  'Add milk, bread and eggs to the shopping list.',
  'What time does the museum open on Sunday?',
  'Play some quiet music while I am working.',
  'The quick brown fox jumps over the lazy dog.',
  'How much does a ticket to the concert cost?',
  'Set an alarm for seven in the morning.',
  'Tell me a short story about a brave little dog.',
  'Thank you, that was very helpful.',
];

/** The binding's CPU build is slow (no AVX): a real model can take tens of seconds per window. */
const PER_SENTENCE_TIMEOUT_MS = 120_000;

describe('transcription accuracy with a real model (needs PARLEY_TEST_WHISPER_MODEL)', () => {
  const engine = MODEL ? new InProcessWhisperEngine({ modelPath: MODEL, timeoutMs: PER_SENTENCE_TIMEOUT_MS }) : undefined;
  afterAll(async () => {
    await engine?.unload();
  });

  it.skipIf(!MODEL)(
    'transcribes 20 spoken sentences with a word error rate under 15%',
    async () => {
      let errors = 0;
      let words = 0;
      for (const sentence of SENTENCES) {
        const transcript = await engine!.transcribe(await speak(sentence), { language: 'en' });
        const score = wordErrorRate(sentence, transcript.text);
        errors += score.errors;
        words += score.words;
        if (score.errors > 0) console.info(`[stt] "${sentence}" → "${transcript.text}" (${score.errors} errors)`);
      }
      const rate = errors / words;
      console.info(`[stt] word error rate ${(rate * 100).toFixed(1)}% (${errors} errors in ${words} words) with ${MODEL}`);
      expect(rate).toBeLessThan(0.15);
    },
    SENTENCES.length * PER_SENTENCE_TIMEOUT_MS,
  );
});

async function scoreSentences(engine: SpeechToTextEngine, audioContext: AudioContextMode): Promise<{ rate: number; errors: number; words: number; ms: number }> {
  let errors = 0;
  let words = 0;
  let ms = 0;
  for (const sentence of SENTENCES) {
    const transcript = await engine.transcribe(await speak(sentence), { language: 'en', audioContext });
    const score = wordErrorRate(sentence, transcript.text);
    errors += score.errors;
    words += score.words;
    ms += transcript.timings.inferenceMs;
  }
  return { rate: errors / words, errors, words, ms };
}

describe('smart-whisper accuracy with a real model, audio_ctx scaled vs full window (needs PARLEY_TEST_WHISPER_MODEL)', () => {
  const engine = MODEL ? new SmartWhisperEngine({ modelPath: MODEL, timeoutMs: PER_SENTENCE_TIMEOUT_MS }) : undefined;
  afterAll(async () => {
    await engine?.unload();
  });

  it.skipIf(!MODEL)(
    'keeps the word error rate under 15% with audio_ctx scaled to the utterance, and prints its cost against the full window',
    async () => {
      const scaled = await scoreSentences(engine!, 'auto');
      const full = await scoreSentences(engine!, 'full');
      const summary = (label: string, score: typeof scaled) =>
        `${label}: word error rate ${(score.rate * 100).toFixed(1)}% (${score.errors}/${score.words}), inference ${score.ms.toFixed(0)} ms for ${SENTENCES.length} sentences`;
      console.info(`[stt] smart-whisper with ${MODEL}\n  ${summary('audio_ctx auto', scaled)}\n  ${summary('full window', full)}`);
      expect(scaled.rate).toBeLessThan(0.15);
    },
    2 * SENTENCES.length * PER_SENTENCE_TIMEOUT_MS,
  );
});

describe('word error rate', () => {
  it('counts substitutions, deletions and insertions against the reference, ignoring case and punctuation', () => {
    expect(wordErrorRate('Turn off the lights.', 'turn off the lights')).toMatchObject({ errors: 0, rate: 0 });
    expect(wordErrorRate('turn off the lights', 'turn of the light please')).toMatchObject({ errors: 3, words: 4 });
    expect(wordErrorRate('turn off the lights', 'lights')).toMatchObject({ errors: 3 });
  });
});
