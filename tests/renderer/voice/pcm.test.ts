import { describe, expect, it } from 'vitest';
import { decodeAudioFrame, encodeAudioFrame, AudioFrameKind } from '#protocol';
import { floatToPcm16, pcm16FromBytes, pcm16ToBytes, pcm16ToFloat } from '../../../renderer/src/voice/dsp/pcm';
import { Pcm16Chunker } from '../../../renderer/src/voice/dsp/pcm-chunker';

describe('PCM16 conversion', () => {
  it('maps full scale to the int16 limits, rounds, and clips what is outside [-1, 1]', () => {
    expect([...floatToPcm16(Float32Array.from([0, 1, -1, 0.5, -0.5, 1.7, -3, 1e-6]))]).toEqual([0, 32767, -32768, 16384, -16384, 32767, -32768, 0]);
  });

  it('converts back within one quantisation step', () => {
    const floats = Float32Array.from([0.25, -0.75, 0.001]);
    const back = pcm16ToFloat(floatToPcm16(floats));
    floats.forEach((value, i) => expect(Math.abs(back[i]! - value)).toBeLessThan(1 / 32768));
  });

  it('writes little endian bytes and reads them back from a frame payload at an odd offset', () => {
    const samples = Int16Array.from([1, -2, 32767, -32768, 258]);
    const bytes = pcm16ToBytes(samples);
    expect([...bytes.subarray(0, 4)]).toEqual([1, 0, 0xfe, 0xff]);
    const framed = new Uint8Array(bytes.length + 1);
    framed.set(bytes, 1);
    expect([...pcm16FromBytes(framed.subarray(1))]).toEqual([...samples]);
  });

  it('survives the trip through an audio frame', () => {
    const samples = Int16Array.from({ length: 512 }, (_, i) => i * 64 - 16384);
    const frame = decodeAudioFrame(encodeAudioFrame({ kind: AudioFrameKind.capturePcm, streamId: 42, payload: pcm16ToBytes(samples) }));
    expect(frame?.streamId).toBe(42);
    expect([...pcm16FromBytes(frame!.payload)]).toEqual([...samples]);
  });
});

describe('Pcm16Chunker', () => {
  it('emits fixed-size chunks across pushes of any length, and the rest on flush', () => {
    const chunks: Int16Array[] = [];
    const chunker = new Pcm16Chunker(4, (pcm) => chunks.push(pcm));
    chunker.push(Float32Array.from([0.1, 0.2, 0.3]));
    expect(chunks).toHaveLength(0);
    chunker.push(Float32Array.from([0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 0]), 7);
    expect(chunks.map((chunk) => chunk.length)).toEqual([4, 4]);
    expect(chunks[1]![3]).toBe(Math.round(0.8 * 32767));
    chunker.flush();
    expect(chunks.map((chunk) => chunk.length)).toEqual([4, 4, 2]);
    expect([...chunks[2]!]).toEqual([Math.round(0.9 * 32767), 32767]);
    chunker.flush();
    expect(chunks).toHaveLength(3);
  });

  it('gives every chunk its own buffer, so it can be transferred', () => {
    const chunks: Int16Array[] = [];
    const chunker = new Pcm16Chunker(2, (pcm) => chunks.push(pcm));
    chunker.push(new Float32Array(6));
    expect(new Set(chunks.map((chunk) => chunk.buffer)).size).toBe(3);
  });
});
