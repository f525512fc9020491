import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { durationSeconds, floatToPcm16, rms } from '#audio';
import { EspeakPhonemizer, PiperEngine, parsePiperVoiceConfig, phonemesToIds, splitClauses, type Phonemizer } from '../../../../backend/speech/tts';
import { expectedTinyOutput, PHONEME_ID_MAP, SPEAKER_OFFSETS, writeTinyPiperVoice, type TinyPiperVoice } from './tiny-piper-voice';

const dir = mkdtempSync(path.join(tmpdir(), 'parley-piper-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Piper's own scaling, as PiperEngine applies it, then PCM16: the exact expected output. */
function asPiperPcm(audio: Float32Array): Int16Array {
  let peak = 0.01;
  for (const sample of audio) peak = Math.max(peak, Math.abs(sample));
  return floatToPcm16(audio.map((sample) => sample / peak));
}

/** A phonemizer with known output, so the model's input can be predicted without espeak-ng. */
const fixedPhonemes = (sentences: string[]): Phonemizer & { calls: Array<[string, string]> } => {
  const calls: Array<[string, string]> = [];
  return {
    calls,
    async phonemize(text: string, voice: string) {
      calls.push([text, voice]);
      return sentences;
    },
  };
};

describe('parsePiperVoiceConfig', () => {
  const valid = { audio: { sample_rate: 22050 }, espeak: { voice: 'en-us' }, phoneme_id_map: { _: [0], '^': [1], $: [2], a: [3] } };

  it('reads a voice config and fills in Piper\'s defaults', () => {
    const config = parsePiperVoiceConfig(JSON.stringify(valid), 'voice.onnx.json');
    expect(config.inference).toEqual({ noise_scale: 0.667, length_scale: 1, noise_w: 0.8 });
    expect(config.num_speakers).toBe(1);
    expect(config.phoneme_type).toBe('espeak');
  });

  it('says which file and which field is wrong', () => {
    expect(() => parsePiperVoiceConfig('{nope', 'v.json')).toThrow('v.json is not valid JSON');
    expect(() => parsePiperVoiceConfig(JSON.stringify({ ...valid, audio: {} }), 'v.json')).toThrow(/v.json is not a Piper voice config: audio.sample_rate/);
    expect(() => parsePiperVoiceConfig(JSON.stringify({ ...valid, phoneme_type: 'text' }), 'v.json')).toThrow(/phoneme_type "text" is not supported/);
    expect(() => parsePiperVoiceConfig(JSON.stringify({ ...valid, phoneme_id_map: { a: [1] } }), 'v.json')).toThrow('v.json: phoneme_id_map has no "_"');
  });
});

describe('phonemesToIds', () => {
  const map = { _: [0], '^': [1], $: [2], ' ': [3], h: [20], ə: [59], l: [24], ˈ: [120], o: [27], ʊ: [100], ',': [8], ã: [99], a: [14], '\u0303': [141] };

  it('is BOS, pad, then each phoneme followed by a pad, then EOS, as piper-phonemize does it', () => {
    expect(phonemesToIds('həlˈoʊ,', map)).toEqual({ ids: [1, 0, 20, 0, 59, 0, 24, 0, 120, 0, 27, 0, 100, 0, 8, 0, 2], missing: new Map() });
  });

  it('splits accented letters into base and combining mark (NFD), and skips and counts unknown phonemes', () => {
    expect(phonemesToIds('ã', map).ids).toEqual([1, 0, 14, 0, 141, 0, 2]);
    const result = phonemesToIds('hxhx', map);
    expect(result.ids).toEqual([1, 0, 20, 0, 20, 0, 2]);
    expect(result.missing).toEqual(new Map([['x', 2]]));
  });
});

describe('splitClauses', () => {
  it('cuts at clause punctuation followed by a space, keeping the punctuation Piper voices were trained with', () => {
    expect(splitClauses('Hello, world! How are you? Fine; thanks: ok. Bye')).toEqual([
      { text: 'Hello', terminator: ',', endsSentence: false },
      { text: 'world', terminator: '!', endsSentence: true },
      { text: 'How are you', terminator: '?', endsSentence: true },
      { text: 'Fine', terminator: ';', endsSentence: false },
      { text: 'thanks', terminator: ':', endsSentence: false },
      { text: 'ok', terminator: '.', endsSentence: true },
      { text: 'Bye', terminator: '', endsSentence: true },
    ]);
  });

  it('does not cut numbers, abbreviations or initials, and drops empty clauses', () => {
    expect(splitClauses('Dr. Smith paid 3.14, e.g. more... Really?!')).toEqual([
      { text: 'Dr. Smith paid 3.14', terminator: ',', endsSentence: false },
      { text: 'e.g. more', terminator: '.', endsSentence: true },
      { text: 'Really', terminator: '?', endsSentence: true },
    ]);
    expect(splitClauses(' , . ')).toEqual([]);
  });
});

describe('EspeakPhonemizer', () => {
  const phonemizer = new EspeakPhonemizer();

  it('writes IPA per sentence with the clause punctuation put back, every phoneme known to a Piper voice', async () => {
    const sentences = await phonemizer.phonemize('Hello, world! How are you?', 'en-us');
    expect(sentences).toHaveLength(2);
    expect(sentences[0]).toMatch(/^həlˈoʊ, wˈɜːld!$/);
    expect(sentences[1]).toMatch(/^hˈaʊ ɑːɹ juː\?$/);
    for (const sentence of sentences) expect(phonemesToIds(sentence, PHONEME_ID_MAP).missing).toEqual(new Map());
  });

  it('copes with espeak-ng cutting a clause where we did not (after "Dr.")', async () => {
    const [sentence, ...rest] = await phonemizer.phonemize('Dr. Smith earns 3.14 dollars, more or less.', 'en-us');
    expect(rest).toEqual([]);
    expect(sentence).toMatch(/^dˈɑːktɚ smˈɪθ .*θɹˈiː pɔɪnt wˈʌn fˈoːɹ .*,.*\.$/);
  });

  it('phonemises other languages with their espeak-ng voice', async () => {
    const [french] = await phonemizer.phonemize('Très bien, merci.', 'fr');
    expect(french).toMatch(/ʁ/);
    expect(french).toMatch(/, .*\.$/);
  });

  it('answers nothing for text with nothing to say', async () => {
    expect(await phonemizer.phonemize(' ... ', 'en-us')).toEqual([]);
  });
});

describe('PiperEngine on a tiny generated Piper voice (onnxruntime-node)', () => {
  let voice: TinyPiperVoice;
  let multi: TinyPiperVoice;
  beforeAll(() => {
    voice = writeTinyPiperVoice(dir, { sampleRate: 16000 });
    multi = writeTinyPiperVoice(dir, { speakers: 2, sampleRate: 22050 });
  });

  it('feeds the mapped ids and scales to the network and returns its audio at the config\'s rate', async () => {
    const phonemizer = fixedPhonemes(['həlˈoʊ.']);
    const engine = await PiperEngine.load({ modelPath: voice.modelPath, phonemizer });
    try {
      const speech = await engine.synthesize('Hello.');
      expect(phonemizer.calls).toEqual([['Hello.', 'en-us']]);
      expect(speech.sampleRate).toBe(16000);
      const ids = phonemesToIds('həlˈoʊ.', PHONEME_ID_MAP).ids;
      expect(Array.from(speech.pcm)).toEqual(Array.from(asPiperPcm(expectedTinyOutput(voice, ids, 1))));
    } finally {
      await engine.release();
    }
  });

  it('runs end to end with espeak-ng phonemes: several sentences, 0.2 s apart', async () => {
    const engine = await PiperEngine.load({ modelPath: voice.modelPath });
    try {
      const text = 'Hello, world! How are you?';
      const sentences = await new EspeakPhonemizer().phonemize(text, 'en-us');
      const speech = await engine.synthesize(text);
      const parts = sentences.map((sentence) => asPiperPcm(expectedTinyOutput(voice, phonemesToIds(sentence, PHONEME_ID_MAP).ids, 1)));
      const expected = [...parts[0]!, ...new Int16Array(3200), ...parts[1]!];
      expect(Array.from(speech.pcm)).toEqual(expected);
      expect(rms(speech.pcm)).toBeGreaterThan(0.05);
    } finally {
      await engine.release();
    }
  });

  it('honours speed through the length scale and volume as a gain', async () => {
    const engine = await PiperEngine.load({ modelPath: voice.modelPath, phonemizer: fixedPhonemes(['həlˈoʊ.']) });
    try {
      const normal = await engine.synthesize('Hello.');
      const slow = await engine.synthesize('Hello.', { speed: 0.5 }); // length scale 2: the tiny network repeats its output twice
      const slower = await engine.synthesize('Hello.', { speed: 0.25 });
      expect(durationSeconds(slow) / durationSeconds(normal)).toBe(2);
      expect(durationSeconds(slower) / durationSeconds(normal)).toBe(4);
      const quiet = await engine.synthesize('Hello.', { volume: 0.25 });
      expect(rms(quiet.pcm) / rms(normal.pcm)).toBeCloseTo(0.25, 3);
    } finally {
      await engine.release();
    }
  });

  it('lists the speakers of a multi-speaker voice and speaks with each', async () => {
    const engine = await PiperEngine.load({ modelPath: multi.modelPath, configPath: multi.configPath, phonemizer: fixedPhonemes(['a.']) });
    try {
      expect(await engine.voices()).toEqual([
        { id: 'alice', name: 'alice', language: 'en_US' },
        { id: 'bob', name: 'bob', language: 'en_US' },
      ]);
      const ids = phonemesToIds('a.', PHONEME_ID_MAP).ids;
      const bob = await engine.synthesize('A.', { voice: 'bob' });
      const alice = await engine.synthesize('A.'); // speaker 0 by default
      expect(bob.sampleRate).toBe(22050);
      expect(Array.from(bob.pcm)).toEqual(Array.from(asPiperPcm(expectedTinyOutput(multi, ids, 1, SPEAKER_OFFSETS[1]))));
      expect(Array.from(alice.pcm)).toEqual(Array.from(asPiperPcm(expectedTinyOutput(multi, ids, 1, SPEAKER_OFFSETS[0]))));
      await expect(engine.synthesize('A.', { voice: 'carol' })).rejects.toMatchObject({ code: 'invalid_params', message: 'Piper voice tiny-multi has no speaker "carol"' });
    } finally {
      await engine.release();
    }
  });

  it('names a single-speaker voice after its dataset and refuses other voice names', async () => {
    const engine = await PiperEngine.load({ modelPath: voice.modelPath, phonemizer: fixedPhonemes(['a.']) });
    try {
      expect(await engine.voices()).toEqual([{ id: 'tiny', name: 'tiny', language: 'en_US' }]);
      expect((await engine.synthesize('A.', { voice: 'tiny' })).pcm.length).toBeGreaterThan(0);
      await expect(engine.synthesize('A.', { voice: 'en-us' })).rejects.toThrow('Piper voice tiny has no voice "en-us"');
    } finally {
      await engine.release();
    }
  });

  it('stops between sentences when the signal fires', async () => {
    const engine = await PiperEngine.load({ modelPath: voice.modelPath, phonemizer: fixedPhonemes(['a.', 'b.']) });
    try {
      const controller = new AbortController();
      controller.abort();
      await expect(engine.synthesize('A. B.', { signal: controller.signal })).rejects.toThrow(/abort/i);
    } finally {
      await engine.release();
    }
  });

  it('refuses an ONNX model that is not a Piper voice (Silero VAD, shipped in @ricky0123/vad-web)', async () => {
    const require = createRequire(import.meta.url);
    const silero = path.join(path.dirname(require.resolve('@ricky0123/vad-web/package.json')), 'dist', 'silero_vad_v5.onnx');
    const configPath = path.join(dir, 'silero.onnx.json');
    writeFileSync(configPath, JSON.stringify({ audio: { sample_rate: 16000 }, espeak: { voice: 'en-us' }, phoneme_id_map: PHONEME_ID_MAP }));
    await expect(PiperEngine.load({ modelPath: silero, configPath })).rejects.toThrow('silero_vad_v5.onnx is not a Piper voice (no input "input_lengths")');
  });

  it('refuses a missing or broken config before loading the network', async () => {
    await expect(PiperEngine.load({ modelPath: path.join(dir, 'missing.onnx') })).rejects.toThrow(/ENOENT/);
    const configPath = path.join(dir, 'broken.onnx.json');
    writeFileSync(configPath, '{"audio": {}}');
    await expect(PiperEngine.load({ modelPath: voice.modelPath, configPath })).rejects.toThrow(/broken.onnx.json is not a Piper voice config/);
  });
});
