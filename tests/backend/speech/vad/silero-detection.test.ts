// The real Silero v5 model on espeak-ng speech with silences of known length.
//
// Truth: each speech clip's extent by energy (test-audio.ts `speechExtent`), placed in the stream.
// Measured against it:
// - onset error = onSpeechStart's atMs − true start;
// - end error = info.endMs (where the ending silence began) − true end. The end event itself fires
//   at atMs = info.endMs + silenceMs rounded up to a 32 ms window, which is asserted separately.
// Both must be within 100 ms.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SILERO_WINDOW_SAMPLES, SileroVad, VoiceActivityDetector, sileroModelPath, type SpeechEndInfo, type VadOptions } from '../../../../backend/speech/vad';
import { chunks, compose, mixInto, synthesize, toPcm16, whiteNoise, type ComposedAudio } from './test-audio';

const TOLERANCE_MS = 100;

interface Recorded {
  starts: number[];
  ends: { atMs: number; info: SpeechEndInfo }[];
}

async function detect(
  samples: Int16Array | Float32Array,
  options: Partial<VadOptions> & { chunkSize?: number; playback?: boolean } = {},
): Promise<Recorded & { vad: VoiceActivityDetector }> {
  const { chunkSize = 1600, playback = false, ...vadOptions } = options;
  const vad = await VoiceActivityDetector.create(vadOptions);
  vad.setPlaybackActive(playback);
  const recorded: Recorded = { starts: [], ends: [] };
  vad.onSpeechStart((atMs) => recorded.starts.push(atMs));
  vad.onSpeechEnd((atMs, info) => recorded.ends.push({ atMs, info }));
  // Not awaited one by one: the detector queues chunks in order, as it must for a socket's frames.
  await Promise.all([...chunks(samples, chunkSize)].map((chunk) => vad.push(chunk)));
  await vad.flush();
  return { ...recorded, vad };
}

describe('Silero VAD on synthesised speech', () => {
  let weather: Float32Array;
  let booking: Float32Array;
  let twoUtterances: ComposedAudio;

  beforeAll(() => {
    weather = synthesize('The weather in Lisbon is sunny today.');
    booking = synthesize('Please book a table for two at eight.');
    twoUtterances = compose([{ silenceMs: 1000 }, { speech: weather }, { silenceMs: 1500 }, { speech: booking }, { silenceMs: 1000 }]);
  });

  it('finds the model through the package and scores silence low and speech high', async () => {
    const modelPath = sileroModelPath();
    expect(existsSync(modelPath)).toBe(true);
    expect(modelPath).toContain(path.join('@ricky0123', 'vad-web', 'dist', 'silero_vad_v5.onnx'));

    const model = await SileroVad.create();
    const score = async (samples: Float32Array) => {
      const probabilities: number[] = [];
      for (let offset = 0; offset + SILERO_WINDOW_SAMPLES <= samples.length; offset += SILERO_WINDOW_SAMPLES) {
        probabilities.push(await model.process(samples.subarray(offset, offset + SILERO_WINDOW_SAMPLES)));
      }
      return probabilities;
    };
    const silence = await score(new Float32Array(16_000));
    expect(Math.max(...silence)).toBeLessThan(0.1);
    model.reset();
    const speech = await score(weather);
    expect(Math.max(...speech)).toBeGreaterThan(0.9);
    // The state is per stream and reset() really forgets it: the same audio scores the same again.
    model.reset();
    expect(await score(weather)).toEqual(speech);
    await expect(model.process(new Float32Array(100))).rejects.toThrow(RangeError);
  });

  it('detects two utterances separately, within 100 ms of the truth, and measures the cost per window', async () => {
    const silenceMs = 500;
    const { starts, ends, vad } = await detect(toPcm16(twoUtterances.samples), { silenceMs });

    expect(starts).toHaveLength(2);
    expect(ends).toHaveLength(2);
    const errors = twoUtterances.truth.map((truth, i) => ({
      onsetMs: starts[i]! - truth.startMs,
      endMs: ends[i]!.info.endMs - truth.endMs,
    }));
    console.log('VAD detection error vs truth (ms):', JSON.stringify(errors), 'truth:', JSON.stringify(twoUtterances.truth));
    for (const error of errors) {
      expect(Math.abs(error.onsetMs)).toBeLessThanOrEqual(TOLERANCE_MS);
      expect(Math.abs(error.endMs)).toBeLessThanOrEqual(TOLERANCE_MS);
    }

    for (const [i, { atMs, info }] of ends.entries()) {
      expect(info.reason).toBe('silence');
      expect(info.startMs).toBe(starts[i]);
      expect(info.durationMs).toBe(info.endMs - info.startMs);
      // The end is declared once silenceMs of silence has passed, counted in whole 32 ms windows.
      expect(atMs - info.endMs).toBeGreaterThanOrEqual(silenceMs);
      expect(atMs - info.endMs).toBeLessThan(silenceMs + 32);
      // The audio: 300 ms of pre-roll, the speech, 100 ms of post-roll.
      expect(info.audioStartMs).toBe(info.startMs - 300);
      expect(info.audioEndMs).toBe(info.endMs + 100);
      expect(info.audio.length).toBe((info.audioEndMs - info.audioStartMs) * 16);
    }
    // The pre-roll holds the true start of the speech, which the onset window alone would clip.
    const first = ends[0]!.info;
    expect(first.audioStartMs).toBeLessThan(twoUtterances.truth[0]!.startMs - 200);

    const { windows, totalInferenceMs, maxInferenceMs } = vad.stats;
    expect(windows).toBe(Math.floor((twoUtterances.durationMs * 16) / SILERO_WINDOW_SAMPLES));
    console.log(
      `VAD cost: ${windows} windows of 32 ms, ${(totalInferenceMs / windows).toFixed(3)} ms mean, ${maxInferenceMs.toFixed(3)} ms max per window`,
    );
  });

  it('merges the utterances when silenceMs is longer than the gap, and flush ends the last one', async () => {
    const { starts, ends } = await detect(twoUtterances.samples, { silenceMs: 2000 });
    expect(starts).toHaveLength(1);
    expect(ends).toHaveLength(1);
    const { info } = ends[0]!;
    expect(info.reason).toBe('flush');
    expect(Math.abs(info.startMs - twoUtterances.truth[0]!.startMs)).toBeLessThanOrEqual(TOLERANCE_MS);
    expect(Math.abs(info.endMs - twoUtterances.truth[1]!.endMs)).toBeLessThanOrEqual(TOLERANCE_MS);
  });

  it('applies silenceMs and sensitivity changed at runtime', async () => {
    const vad = await VoiceActivityDetector.create({ silenceMs: 2000 });
    const ends: SpeechEndInfo[] = [];
    vad.onSpeechEnd((_atMs, info) => ends.push(info));
    const gap = twoUtterances.truth[0]!.endMs + 200;
    await vad.push(twoUtterances.samples.subarray(0, gap * 16));
    vad.configure({ silenceMs: 500 });
    expect(vad.currentOptions.silenceMs).toBe(500);
    await vad.push(twoUtterances.samples.subarray(gap * 16));
    await vad.flush();
    expect(ends.map((e) => e.reason)).toEqual(['silence', 'silence']);

    vad.configure({ sensitivity: 1 });
    expect(vad.thresholds.positive).toBeCloseTo(0.3);
    expect(() => vad.configure({ sensitivity: 2 })).toThrow(RangeError);
    expect(() => vad.configure({ silenceMs: Number.NaN })).toThrow(RangeError);
  });

  it('hears no speech in silence or in low white noise, even at the highest sensitivity', async () => {
    for (const sensitivity of [0.5, 1]) {
      const silence = await detect(new Int16Array(3 * 16_000), { sensitivity });
      expect(silence.starts).toEqual([]);
      for (const amplitude of [0.01, 0.05]) {
        const noise = await detect(toPcm16(whiteNoise(3000, amplitude, 11)), { sensitivity });
        expect(noise.starts, `noise ±${amplitude} at sensitivity ${sensitivity}`).toEqual([]);
        expect(noise.ends).toEqual([]);
      }
    }
  });

  it('finds speech under noise (the end is looser: the tail fades into the noise)', async () => {
    const audio = compose([{ silenceMs: 1000 }, { speech: weather, gain: 0.5 }, { silenceMs: 1000 }]);
    mixInto(audio.samples, whiteNoise(audio.durationMs, 0.05, 5));
    const { starts, ends } = await detect(audio.samples);
    expect(starts).toHaveLength(1);
    const error = { onsetMs: starts[0]! - audio.truth[0]!.startMs, endMs: ends[0]!.info.endMs - audio.truth[0]!.endMs };
    console.log('VAD detection error under white noise ±0.05, speech at -6 dB (ms):', JSON.stringify(error));
    expect(Math.abs(error.onsetMs)).toBeLessThanOrEqual(TOLERANCE_MS);
    expect(Math.abs(error.endMs)).toBeLessThanOrEqual(2 * TOLERANCE_MS);
  });

  it('echo guard: while the agent plays audio, quiet speech that would otherwise start an utterance is ignored', async () => {
    // At gain 0.0026 (-52 dB) this clip peaks at P ≈ 0.52: above 0.4 (sensitivity 0.8) for several
    // windows, below the 0.6 that the same sensitivity asks for during playback.
    const quiet = compose([{ silenceMs: 500 }, { speech: weather, gain: 0.0026 }, { silenceMs: 800 }]);
    const options = { sensitivity: 0.8 };

    const heard = await detect(quiet.samples, options);
    expect(heard.starts).toHaveLength(1);

    const duringPlayback = await detect(quiet.samples, { ...options, playback: true });
    expect(duringPlayback.vad.thresholds.positive).toBeCloseTo(0.6);
    expect(duringPlayback.starts).toEqual([]);

    // A clear voice still gets through: the user can interrupt the agent.
    const loud = compose([{ silenceMs: 500 }, { speech: weather }, { silenceMs: 800 }]);
    const bargeIn = await detect(loud.samples, { ...options, playback: true });
    expect(bargeIn.starts).toHaveLength(1);
  });

  it('gives the same events however the stream is chunked', async () => {
    const pcm = toPcm16(twoUtterances.samples);
    const summary = (r: Recorded) => ({
      starts: r.starts,
      ends: r.ends.map(({ atMs, info: { audio, ...rest } }) => ({ atMs, ...rest, samples: audio.length, sum: audio.reduce((s, v) => s + v, 0) })),
    });
    const small = summary(await detect(pcm, { chunkSize: 100 }));
    const large = summary(await detect(pcm, { chunkSize: 4000 }));
    const odd = summary(await detect(pcm, { chunkSize: 777 }));
    expect(small.starts).toHaveLength(2);
    expect(large).toEqual(small);
    expect(odd).toEqual(small);
  });

  it('survives bad input: NaN and infinite samples, empty chunks', async () => {
    const vad = await VoiceActivityDetector.create();
    const starts: number[] = [];
    const probabilities: number[] = [];
    vad.onSpeechStart((atMs) => starts.push(atMs));
    vad.onWindow(({ probability }) => probabilities.push(probability));

    await vad.push(new Float32Array(0));
    await vad.push(new Int16Array(0));
    await vad.push(new Float32Array(8000).fill(Number.NaN));
    await vad.push(Float32Array.from({ length: 8000 }, (_, i) => (i % 2 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY)));
    await vad.push(Float32Array.from({ length: 8000 }, (_, i) => (i % 3 ? Number.NaN : 0)));
    expect(probabilities.every(Number.isFinite)).toBe(true);
    expect(starts).toEqual([]);

    // The stream is still sound afterwards: speech is found where it is.
    const speech = compose([{ silenceMs: 500 }, { speech: weather }, { silenceMs: 800 }]);
    const offsetMs = (3 * 8000) / 16; // stream time counts every sample fed, whole windows or not
    await vad.push(speech.samples);
    expect(starts).toHaveLength(1);
    expect(Math.abs(starts[0]! - offsetMs - speech.truth[0]!.startMs)).toBeLessThanOrEqual(TOLERANCE_MS);
  });
});
