// The detector's state machine on scripted probabilities: exact timestamps, no model, no audio tools.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_VAD_OPTIONS,
  VoiceActivityDetector,
  vadThresholds,
  type SpeechEndInfo,
  type SpeechProbabilityModel,
  type VadOptions,
} from '../../../../backend/speech/vad';

const WINDOW = 512;
const WINDOW_MS = 32;

/** One probability per window: 'S' speech (0.9), '.' silence (0), '~' in between the default thresholds (0.5), 'q' quiet speech (0.65). */
const SCRIPT_VALUES: Record<string, number> = { S: 0.9, '.': 0, '~': 0.5, q: 0.65 };

class ScriptedModel implements SpeechProbabilityModel {
  readonly windows: Float32Array[] = [];
  resets = 0;
  failAt: number | null = null;
  constructor(private readonly script: string) {}

  async process(window: Float32Array): Promise<number> {
    const index = this.windows.length;
    this.windows.push(window.slice());
    if (index === this.failAt) throw new Error('model failed');
    return SCRIPT_VALUES[this.script[index] ?? '.'] ?? 0;
  }

  reset(): void {
    this.resets += 1;
  }
}

/** PCM16 whose every sample holds its own index (mod 32768), so audio slices can be located exactly. */
function markedPcm(windows: number, from = 0): Int16Array {
  return Int16Array.from({ length: windows * WINDOW }, (_, i) => (from + i) % 32768);
}
const sampleIndexOf = (value: number) => Math.round(value * 32768);

function setup(script: string, options: Partial<VadOptions> = {}) {
  const model = new ScriptedModel(script);
  const vad = new VoiceActivityDetector(model, options);
  const events: string[] = [];
  const ends: { atMs: number; info: SpeechEndInfo }[] = [];
  vad.onSpeechStart((atMs) => events.push(`start ${atMs} (at ${vad.timeMs})`));
  vad.onSpeechEnd((atMs, info) => {
    events.push(`end ${atMs} [${info.startMs}-${info.endMs}] ${info.reason}`);
    ends.push({ atMs, info });
  });
  const feed = (windows = script.length) => vad.push(markedPcm(windows, vad.timeMs * 16));
  return { model, vad, events, ends, feed };
}

describe('vadThresholds', () => {
  it('maps sensitivity to the onset threshold, with hysteresis and the echo guard', () => {
    expect(vadThresholds(0, false).positive).toBeCloseTo(0.8);
    expect(vadThresholds(0.5, false)).toEqual({ positive: 0.55, negative: expect.closeTo(0.4) as number });
    expect(vadThresholds(1, false).positive).toBeCloseTo(0.3);
    expect(vadThresholds(0.5, true).positive).toBeCloseTo(0.75);
    expect(vadThresholds(0.5, true).negative).toBeCloseTo(0.6);
    expect(vadThresholds(0, true).positive).toBeCloseTo(0.95); // 0.8 + 0.2, capped
    expect(vadThresholds(Number.NaN, false).positive).toBeCloseTo(0.55);
  });
});

describe('VoiceActivityDetector', () => {
  it('starts speech after minSpeechMs of speech windows, dated at the first of them', async () => {
    const { events, feed } = setup('..SSSS......');
    await feed();
    // Sure after the third speech window (ends at 160 ms); the speech began at 64 ms.
    expect(events).toEqual(['start 64 (at 160)']);
  });

  it('ignores a blip shorter than minSpeechMs and a candidate broken by silence', async () => {
    const { events, feed } = setup('..SS....S.SS.S..........');
    await feed();
    expect(events).toEqual([]);
  });

  it('lets windows between the thresholds neither confirm nor break an onset', async () => {
    const { events, feed } = setup('.S~~S~S.....', { minSpeechMs: 96 });
    await feed();
    expect(events).toEqual(['start 32 (at 224)']);
  });

  it('honours minSpeechMs (rounded up to whole windows)', async () => {
    const one = setup('..S..', { minSpeechMs: 0 });
    await one.feed();
    expect(one.events).toEqual(['start 64 (at 96)']);
    const two = setup('..SS..', { minSpeechMs: 40 });
    await two.feed();
    expect(two.events).toEqual(['start 64 (at 128)']);
  });

  it('ends after silenceMs of silence: endMs where the silence began, atMs when it was declared', async () => {
    // silenceMs 100 needs 4 silent windows (128 ms). '~' does not start a silence, 'S' breaks one.
    const { events, ends, feed } = setup('SSSS..S~..~..S', { silenceMs: 100 });
    await feed();
    // Windows: speech to 224 ms; silence starts at window 8 (256 ms); windows 8-11 silent or '~' → declared at 384 ms.
    expect(events).toEqual(['start 0 (at 96)', 'end 384 [0-256] silence']);
    expect(ends[0]!.info.durationMs).toBe(256);
    const silenceWindows = Math.ceil(100 / WINDOW_MS);
    expect(ends[0]!.atMs - ends[0]!.info.endMs).toBe(silenceWindows * WINDOW_MS);
  });

  it('returns the utterance audio: pre-roll, speech, post-roll', async () => {
    // 20 silent windows (640 ms), speech from 640 ms to 960 ms, then silence.
    const script = `${'.'.repeat(20)}${'S'.repeat(10)}${'.'.repeat(20)}`;
    const { ends, feed } = setup(script, { silenceMs: 500, preRollMs: 300, postRollMs: 100 });
    await feed();
    const { info } = ends[0]!;
    expect(info).toMatchObject({ startMs: 640, endMs: 960, audioStartMs: 340, audioEndMs: 1060 });
    expect(info.audio.length).toBe((1060 - 340) * 16);
    expect(sampleIndexOf(info.audio[0]!)).toBe(340 * 16);
    expect(sampleIndexOf(info.audio.at(-1)!)).toBe(1060 * 16 - 1);
  });

  it('keeps what pre-roll there is at the start of a stream, and the last silence as the next pre-roll', async () => {
    const script = `S${'S'.repeat(5)}${'.'.repeat(5)}SSS${'.'.repeat(10)}`;
    const { ends, feed } = setup(script, { silenceMs: 100, preRollMs: 300, postRollMs: 0 });
    await feed();
    expect(ends).toHaveLength(2);
    expect(ends[0]!.info).toMatchObject({ startMs: 0, audioStartMs: 0 });
    // The second onset (at 352 ms) reaches back into the first utterance's trailing silence, but
    // not past its speech end (192 ms), although 300 ms of pre-roll would go back to 52 ms.
    expect(ends[0]!.info.endMs).toBe(192);
    expect(ends[1]!.info).toMatchObject({ startMs: 352, audioStartMs: 192 });
    expect(sampleIndexOf(ends[1]!.info.audio[0]!)).toBe(192 * 16);
  });

  it('cuts an utterance at maxUtteranceMs and starts the next one if the speaker goes on', async () => {
    const { events, ends, feed } = setup('S'.repeat(20), { maxUtteranceMs: 320 });
    await feed();
    expect(events).toEqual(['start 0 (at 96)', 'end 320 [0-320] max-length', 'start 320 (at 416)', 'end 640 [320-640] max-length']);
    // Back to back, without overlap: the second utterance's pre-roll stops where the first one's speech ended.
    expect(ends.map(({ info }) => [info.audioStartMs, info.audioEndMs])).toEqual([
      [0, 320],
      [320, 640],
    ]);
  });

  it('flush ends an utterance in progress; reset drops it and starts the stream over', async () => {
    const { vad, events, model, feed } = setup('SSSS..SSSS');
    await feed(6);
    await vad.flush();
    expect(events).toEqual(['start 0 (at 96)', 'end 192 [0-128] flush']);
    await vad.flush(); // nothing in progress: nothing to say
    expect(events).toHaveLength(2);

    await feed(4);
    expect(vad.speaking).toBe(true);
    await vad.push(new Int16Array(100)); // a partial window, dropped by reset
    await vad.reset();
    expect(model.resets).toBe(1);
    expect(vad.speaking).toBe(false);
    expect(vad.timeMs).toBe(0);
    expect(events).toHaveLength(3);
  });

  it('echo guard: quiet speech starts an utterance only when the agent is not playing', async () => {
    const { vad, events, feed } = setup(`qqqq${'.'.repeat(20)}qqqq${'.'.repeat(20)}SSSS`, { silenceMs: 100 });
    await feed(24);
    expect(events).toEqual(['start 0 (at 96)', 'end 256 [0-128] silence']);
    vad.setPlaybackActive(true);
    expect(vad.thresholds.positive).toBeCloseTo(0.75);
    await feed(24);
    expect(events).toHaveLength(2);
    await feed(4); // a clear voice still interrupts, and one window of it is enough (barge-in)
    expect(events.at(-1)).toBe(`start ${48 * WINDOW_MS} (at ${49 * WINDOW_MS})`);
    vad.setPlaybackActive(false);
    expect(vad.thresholds.positive).toBeCloseTo(0.55);
  });

  it('barge-in: while the agent plays, one clear window starts speech; a lone blip ends as silence', async () => {
    const playing = setup('..S.........', { silenceMs: 100 });
    playing.vad.setPlaybackActive(true);
    await playing.feed();
    expect(playing.events[0]).toBe('start 64 (at 96)');
    const quiet = setup(`..S.${'.'.repeat(8)}`, { silenceMs: 100, bargeInMinSpeechMs: 96 });
    quiet.vad.setPlaybackActive(true);
    await quiet.feed();
    expect(quiet.events).toEqual([]);
  });

  it('applies options changed at runtime to the next windows', async () => {
    const { vad, events, feed } = setup(`SSSS${'.'.repeat(30)}`, { silenceMs: 2000 });
    await feed(10);
    vad.configure({ silenceMs: 200 });
    await feed(24);
    expect(events).toEqual(['start 0 (at 96)', 'end 352 [0-128] silence']);
    expect(vad.currentOptions).toEqual({ ...DEFAULT_VAD_OPTIONS, silenceMs: 200 });
    expect(() => vad.configure({ preRollMs: -1 })).toThrow(RangeError);
    expect(() => new VoiceActivityDetector(new ScriptedModel(''), { sensitivity: -0.1 })).toThrow(RangeError);
  });

  it('converts input: PCM16 scaled, floats clipped, NaN and infinities silenced, chunks copied', async () => {
    const { vad, model } = setup('....');
    const pcm = new Int16Array(WINDOW).fill(-32768);
    const pushed = vad.push(pcm);
    pcm.fill(0); // the caller reuses its buffer before the chunk is analysed
    await pushed;
    expect(model.windows[0]!.every((v) => v === -1)).toBe(true);

    const floats = new Float32Array(WINDOW);
    floats.set([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1.5, -3, 0.25]);
    await vad.push(floats);
    expect([...model.windows[1]!.subarray(0, 6)]).toEqual([0, 0, 0, 1, -1, 0.25]);

    await vad.push(new Float32Array(0));
    await vad.push(new Int16Array(0));
    expect(model.windows).toHaveLength(2);
  });

  it('buffers any chunking into whole windows, and counts stream time in analysed windows', async () => {
    const { vad, model } = setup('');
    for (const size of [1, 100, 411, 1000]) await vad.push(new Int16Array(size));
    // 1512 samples: 2 whole windows analysed, 488 waiting.
    expect(model.windows).toHaveLength(2);
    expect(vad.timeMs).toBe(64);
    expect(vad.stats.windows).toBe(2);
  });

  it('keeps going after a model failure or a throwing listener', async () => {
    const { vad, model, events, feed } = setup('..SSSS....');
    model.failAt = 1;
    await expect(feed(2)).rejects.toThrow('model failed');
    const unsubscribe = vad.onSpeechStart(() => {
      throw new Error('listener failed');
    });
    await expect(feed(6)).rejects.toThrow('listener failed');
    // The other listener still heard the onset and every window of the chunk was analysed.
    expect(events).toEqual(['start 64 (at 160)']);
    expect(model.windows).toHaveLength(8);
    unsubscribe();
    await expect(feed(2)).resolves.toBeUndefined();
  });
});
