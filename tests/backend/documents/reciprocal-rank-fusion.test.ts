import { describe, expect, it } from 'vitest';
import { fuseByReciprocalRank, RRF_K } from '../../../backend/documents/search/reciprocal-rank-fusion';

describe('fuseByReciprocalRank', () => {
  it('ranks an item high in both lists above items high in one, and keeps items of either list', () => {
    const fused = fuseByReciprocalRank([
      ['a', 'b', 'c'],
      ['d', 'b', 'a'],
    ]);
    expect(fused.map((item) => item.key)).toEqual(['a', 'b', 'd', 'c']);
    expect(fused[0]!.score).toBeCloseTo(1 / (RRF_K + 1) + 1 / (RRF_K + 3));
    expect(fused.find((item) => item.key === 'c')!.score).toBeCloseTo(1 / (RRF_K + 3));
  });

  it('with one list keeps its order', () => {
    expect(fuseByReciprocalRank([[3, 1, 2]]).map((item) => item.key)).toEqual([3, 1, 2]);
    expect(fuseByReciprocalRank([[], []])).toEqual([]);
  });
});
