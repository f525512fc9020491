import { useEffect, useMemo, useRef } from 'react';

/**
 * `run` at most once per `intervalMs`: the first call at once, calls during the pause folded into
 * one at its end. Live charts refetch on every metrics event; this keeps that to once a second.
 */
export function useThrottled(run: () => void, intervalMs: number): () => void {
  const latest = useRef(run);
  useEffect(() => {
    latest.current = run;
  });
  const state = useRef<{ last: number; timer: ReturnType<typeof setTimeout> | undefined }>({ last: 0, timer: undefined });
  useEffect(() => () => clearTimeout(state.current.timer), []);
  return useMemo(
    () => () => {
      const now = Date.now();
      const wait = state.current.last + intervalMs - now;
      if (wait <= 0) {
        state.current.last = now;
        latest.current();
      } else if (!state.current.timer) {
        state.current.timer = setTimeout(() => {
          state.current.timer = undefined;
          state.current.last = Date.now();
          latest.current();
        }, wait);
      }
    },
    [intervalMs],
  );
}
