/** The usual constant of reciprocal-rank fusion: it keeps the first few ranks from dominating. */
export const RRF_K = 60;

/**
 * Fuses rankings by reciprocal rank: each item scores the sum of 1 / (k + rank) over the lists it
 * is in. Only ranks count, never the lists' own scores, so BM25's and cosine's scales need no
 * calibration against each other.
 */
export function fuseByReciprocalRank<K>(rankings: ReadonlyArray<readonly K[]>, k = RRF_K): Array<{ key: K; score: number }> {
  const scores = new Map<K, number>();
  for (const ranking of rankings) {
    ranking.forEach((key, index) => scores.set(key, (scores.get(key) ?? 0) + 1 / (k + index + 1)));
  }
  return [...scores].map(([key, score]) => ({ key, score })).sort((a, b) => b.score - a.score);
}
