import { beforeAll, describe, expect, it } from 'vitest';
import { ParleyError } from '#protocol';
import { decodeWav, durationSeconds, floatToPcm16, rms } from '#audio';
import { EspeakEngine, EspeakWasmRuntime, loadEspeakRuntime } from '../../../../backend/speech/tts';
import { parseEspeakVoices } from '../../../../backend/speech/tts/espeak-voice-list';

const SENTENCE = 'The quick brown fox jumps over the lazy dog.';

describe('EspeakEngine (npm espeak-ng, WASM)', () => {
  let engine: EspeakEngine;
  beforeAll(async () => {
    engine = await EspeakEngine.load();
  });

  it('speaks a sentence: 22.05 kHz mono PCM16, a plausible duration, clearly not silence', async () => {
    const speech = await engine.synthesize(SENTENCE);
    expect(speech.sampleRate).toBe(22050);
    expect(speech.pcm).toBeInstanceOf(Int16Array);
    // Nine words at 175 words a minute is about 3 s, plus espeak-ng's pauses.
    expect(durationSeconds(speech)).toBeGreaterThan(2);
    expect(durationSeconds(speech)).toBeLessThan(5);
    expect(rms(speech.pcm)).toBeGreaterThan(0.03);
  });

  it('gives the same samples every time: each run starts from the pristine program', async () => {
    const first = await engine.synthesize(SENTENCE);
    await engine.synthesize('Something else in between, with another voice.', { voice: 'en-gb', speed: 1.7 });
    await new Promise((resolve) => setImmediate(resolve)); // let the idle-time memory restore run...
    const second = await engine.synthesize(SENTENCE);
    const third = await engine.synthesize(SENTENCE); // ...and also when it did not get the chance
    expect(Buffer.compare(Buffer.from(second.pcm.buffer), Buffer.from(first.pcm.buffer))).toBe(0);
    expect(Buffer.compare(Buffer.from(third.pcm.buffer), Buffer.from(first.pcm.buffer))).toBe(0);
  });

  it('honours speed: twice as fast is about half as long', async () => {
    const normal = durationSeconds(await engine.synthesize(SENTENCE));
    const fast = durationSeconds(await engine.synthesize(SENTENCE, { speed: 2 }));
    const slow = durationSeconds(await engine.synthesize(SENTENCE, { speed: 0.5 }));
    expect(fast / normal).toBeGreaterThan(0.4);
    expect(fast / normal).toBeLessThan(0.7);
    expect(slow / normal).toBeGreaterThan(1.5);
  });

  it('honours volume as a linear gain', async () => {
    const full = await engine.synthesize(SENTENCE);
    const half = await engine.synthesize(SENTENCE, { volume: 0.5 });
    const muted = await engine.synthesize(SENTENCE, { volume: 0 });
    expect(rms(half.pcm) / rms(full.pcm)).toBeCloseTo(0.5, 2);
    expect(rms(muted.pcm)).toBe(0);
    await expect(engine.synthesize(SENTENCE, { volume: -1 })).rejects.toThrow(/volume/);
    await expect(engine.synthesize(SENTENCE, { speed: 10 })).rejects.toThrow(/speed/);
  });

  it('lists its voices and speaks with another one', async () => {
    const voices = await engine.voices();
    const ids = voices.map((voice) => voice.id);
    expect(ids).toEqual(expect.arrayContaining(['en-us', 'en-gb', 'de', 'fr-fr', 'es']));
    expect(voices.length).toBeGreaterThan(80);
    expect(new Set(ids).size).toBe(ids.length);
    expect(voices.find((voice) => voice.id === 'en-us')).toMatchObject({ name: 'English (America)', language: 'en-us' });
    const german = await engine.synthesize('Guten Tag, wie geht es Ihnen?', { voice: 'de' });
    expect(rms(german.pcm)).toBeGreaterThan(0.03);
    const variant = await engine.synthesize('Hello.', { voice: 'en-us+f3' });
    expect(rms(variant.pcm)).toBeGreaterThan(0.01);
  });

  it('refuses unknown and malformed voices clearly, and keeps working afterwards', async () => {
    const exitCode = process.exitCode;
    await expect(engine.synthesize('Hello.', { voice: 'xx-nope' })).rejects.toMatchObject({ code: 'invalid_params', message: 'espeak-ng has no voice "xx-nope"' });
    expect(process.exitCode).toBe(exitCode); // espeak-ng's exit(1) must not become the backend's exit code
    await expect(engine.synthesize('Hello.', { voice: '-w/etc/passwd' })).rejects.toBeInstanceOf(ParleyError);
    await expect(engine.synthesize('Hello.', { voice: '../../x' })).rejects.toThrow(/Not an espeak-ng voice name/);
    expect(rms((await engine.synthesize('Still here.')).pcm)).toBeGreaterThan(0.01);
  });

  it('reads text that looks like options or markup as text', async () => {
    const speech = await engine.synthesize('-w /tmp/evil.wav --help <speak>hi</speak>');
    expect(durationSeconds(speech)).toBeGreaterThan(1);
  });

  it('answers no audio for text with nothing to say', async () => {
    for (const text of ['', '   ', '...', '—']) {
      const speech = await engine.synthesize(text);
      expect(speech.pcm.length, JSON.stringify(text)).toBe(0);
    }
  });

  it('stops before work when the signal has fired', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(engine.synthesize(SENTENCE, { signal: controller.signal })).rejects.toThrow(/abort/i);
  });

  it('shares one WASM instance per process', async () => {
    expect(await loadEspeakRuntime()).toBe(await loadEspeakRuntime());
  });

  it('speaks exactly as a fresh espeak-ng program does: the shared, reused instance gives the same samples as a new one', async () => {
    // A new instance starts from the program's pristine memory, as the command line run as a new
    // process would; the engine's instance has run many sentences with other voices and speeds by now.
    const fresh = await EspeakWasmRuntime.create();
    const run = fresh.run(['-v', 'en-us', '-s', '175', '-w', '/tmp/fresh.wav', '-f', '/tmp/fresh.txt'], { inputs: { '/tmp/fresh.txt': SENTENCE }, outputs: ['/tmp/fresh.wav'] });
    expect(run.exitCode).toBe(0);
    const program = decodeWav(run.outputs.get('/tmp/fresh.wav')!);
    const engineSpeech = await engine.synthesize(SENTENCE);
    expect(engineSpeech.sampleRate).toBe(program.sampleRate);
    expect(engineSpeech.pcm.length).toBe(program.samples.length);
    expect(Buffer.compare(Buffer.from(floatToPcm16(program.samples).buffer), Buffer.from(engineSpeech.pcm.buffer))).toBe(0);
  });
});

describe('parseEspeakVoices', () => {
  it('reads the voice table and leaves out MBROLA voices, which the WASM build cannot speak', () => {
    const output = [
      'Pty Language       Age/Gender VoiceName          File                 Other Languages',
      ' 2  en-gb           --/M      English_(Great_Britain) gmw/en               (en 2)',
      ' 5  en-us           --/M      us-mbrola-2        mb/mb-us2            (en 7)',
      ' 2  en-us           --/M      English_(America)  gmw/en-US            (en 3)',
      ' 5  en-us           --/F      us-mbrola-1        mb/mb-us1            (en 8)',
      ' 5  fr-fr           --/F      French             roa/fr               ',
    ];
    expect(parseEspeakVoices(output)).toEqual([
      { id: 'en-gb', name: 'English (Great Britain)', language: 'en-gb', gender: 'male' },
      { id: 'en-us', name: 'English (America)', language: 'en-us', gender: 'male' },
      { id: 'fr-fr', name: 'French', language: 'fr-fr', gender: 'female' },
    ]);
  });
});
