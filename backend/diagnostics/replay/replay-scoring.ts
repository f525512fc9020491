import type { ReplayAnswerSide, ReplayResult } from '#protocol';

export type ReplayScore = Pick<ReplayResult, 'toolsMatch' | 'groundingKept' | 'latencyDeltaMs'>;

/**
 * How a replayed answer compares with the original: the same tools called (as sets: order and
 * repeats vary between runs of one model), grounding kept (the original answered from sources,
 * does the replay?), and how much slower or faster it was.
 */
export function scoreReplay(original: ReplayAnswerSide, replay: ReplayAnswerSide): ReplayScore {
  const originalTools = new Set(original.tools);
  const replayTools = new Set(replay.tools);
  const toolsMatch = replay.status === 'complete' && originalTools.size === replayTools.size && [...originalTools].every((tool) => replayTools.has(tool));
  const groundingKept = original.sources.length === 0 ? null : replay.status === 'complete' && replay.sources.length > 0;
  const latencyDeltaMs = original.totalMs !== null && replay.totalMs !== null ? Math.round(replay.totalMs - original.totalMs) : null;
  return { toolsMatch, groundingKept, latencyDeltaMs };
}
