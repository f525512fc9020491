export interface FrameScheduler {
  request(callback: () => void): number;
  cancel(handle: number): void;
}

const animationFrames: FrameScheduler = {
  request: (callback) => requestAnimationFrame(callback),
  cancel: (handle) => cancelAnimationFrame(handle),
};

export interface DeltaBuffer {
  push(text: string): void;
  /** Hands over what is pending now (before a tool card or the final answer). */
  flush(): void;
  /** Drops what is pending (a fallback voided the partial answer). */
  discard(): void;
}

/** Coalesces streamed text so the answer re-renders at most once per frame, however fast deltas come. */
export function createDeltaBuffer(onFlush: (text: string) => void, scheduler: FrameScheduler = animationFrames): DeltaBuffer {
  let pending = '';
  let handle: number | null = null;
  const cancel = () => {
    if (handle !== null) scheduler.cancel(handle);
    handle = null;
  };
  const flush = () => {
    cancel();
    if (!pending) return;
    const text = pending;
    pending = '';
    onFlush(text);
  };
  return {
    push(text) {
      if (!text) return;
      pending += text;
      if (handle === null) {
        handle = scheduler.request(() => {
          handle = null;
          flush();
        });
      }
    },
    flush,
    discard() {
      cancel();
      pending = '';
    },
  };
}
