import { describe, expect, it } from 'vitest';
import { AudioFrameKind, decodeAudioFrame, encodeAudioFrame } from '#protocol';
import { applyGain, downmixToMono, floatToPcm16, pcm16FromBytes, pcm16ToBytes, pcm16ToFloat, rms } from '#audio';

describe('PCM16 ↔ float (one convention: ÷ 32768, × 32768 clipped)', () => {
  it('maps full scale to the int16 limits, rounds, and clips what lies outside [-1, 1] instead of wrapping', () => {
    expect([...floatToPcm16(Float32Array.of(0, 0.25, -0.25, 1, -1, 0.5, -0.5, 1.7, -3, 1e-6))]).toEqual([0, 8192, -8192, 32767, -32768, 16384, -16384, 32767, -32768, 0]);
    expect([...pcm16ToFloat(Int16Array.of(-32768, 0, 16384))]).toEqual([-1, 0, 0.5]);
    expect([...floatToPcm16(Float32Array.of(Number.NaN, Infinity, -Infinity))]).toEqual([0, 32767, -32768]);
  });

  it("gives the console's PCM16 back unchanged after a round trip through floats, for every int16", () => {
    const every = Int16Array.from({ length: 65536 }, (_, index) => index - 32768);
    expect(floatToPcm16(pcm16ToFloat(every))).toEqual(every);
  });

  it('converts floats back within half a quantisation step', () => {
    const floats = Float32Array.from([0.25, -0.75, 0.001, -0.99999, 0.3333]);
    const back = pcm16ToFloat(floatToPcm16(floats));
    floats.forEach((value, i) => expect(Math.abs(back[i]! - value)).toBeLessThanOrEqual(0.5 / 32768 + 1e-9));
  });

  it('converts part of a reused buffer in place (what the worklets do)', () => {
    const into = new Int16Array(4).fill(7);
    floatToPcm16(Float32Array.of(0.5, 0.5, 0.5, 0.5), 2, into);
    expect([...into]).toEqual([16384, 16384, 7, 7]);
  });

  it('writes little-endian bytes and reads them back from a frame payload at an odd offset', () => {
    const samples = Int16Array.from([1, -2, 32767, -32768, 258]);
    const bytes = pcm16ToBytes(samples);
    expect([...bytes.subarray(0, 4)]).toEqual([1, 0, 0xfe, 0xff]);
    const framed = new Uint8Array(bytes.length + 1);
    framed.set(bytes, 1);
    expect([...pcm16FromBytes(framed.subarray(1))]).toEqual([...samples]);
    expect(pcm16FromBytes(Uint8Array.of(1, 0, 9)).length).toBe(1);
  });

  it('survives the trip through an audio frame', () => {
    const samples = Int16Array.from({ length: 512 }, (_, i) => i * 64 - 16384);
    const frame = decodeAudioFrame(encodeAudioFrame({ kind: AudioFrameKind.capturePcm, streamId: 42, payload: pcm16ToBytes(samples) }));
    expect(frame?.streamId).toBe(42);
    expect([...pcm16FromBytes(frame!.payload)]).toEqual([...samples]);
  });
});

describe('levels', () => {
  it('measures RMS on the same scale for PCM16 and floats', () => {
    expect(rms(new Int16Array(100).fill(-32768))).toBe(1);
    expect(rms(Float32Array.of(0.5, -0.5))).toBe(0.5);
    expect(rms(new Int16Array(0))).toBe(0);
    const pcm = Int16Array.from({ length: 1000 }, (_, i) => Math.round(10000 * Math.sin(i / 7)));
    expect(rms(pcm)).toBeCloseTo(rms(pcm16ToFloat(pcm)), 12);
  });

  it('applies a gain with clipping, and leaves gain 1 alone', () => {
    const pcm = Int16Array.of(100, -100, 30000, -30000);
    expect(applyGain(pcm, 1)).toBe(pcm);
    expect([...applyGain(pcm, 2)]).toEqual([200, -200, 32767, -32768]);
  });

  it('averages interleaved channels to mono', () => {
    expect([...downmixToMono(Float32Array.of(1, 0, 0.5, 0.5, -1, 1), 2)]).toEqual([0.5, 0.5, 0]);
  });
});
