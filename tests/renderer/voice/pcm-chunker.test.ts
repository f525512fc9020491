import { describe, expect, it } from 'vitest';
import { Pcm16Chunker } from '../../../renderer/src/voice/dsp/pcm-chunker';

describe('Pcm16Chunker', () => {
  it('emits fixed-size chunks across pushes of any length, and the rest on flush', () => {
    const chunks: Int16Array[] = [];
    const chunker = new Pcm16Chunker(4, (pcm) => chunks.push(pcm));
    chunker.push(Float32Array.from([0.1, 0.2, 0.3]));
    expect(chunks).toHaveLength(0);
    chunker.push(Float32Array.from([0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 0]), 7);
    expect(chunks.map((chunk) => chunk.length)).toEqual([4, 4]);
    expect(chunks[1]![3]).toBe(Math.round(0.8 * 32768));
    chunker.flush();
    expect(chunks.map((chunk) => chunk.length)).toEqual([4, 4, 2]);
    expect([...chunks[2]!]).toEqual([Math.round(0.9 * 32768), 32767]);
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
