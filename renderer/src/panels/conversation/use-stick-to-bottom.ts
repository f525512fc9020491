import { useCallback, useLayoutEffect, useRef } from 'react';

const NEAR_BOTTOM_PX = 80;

/** Keeps a scroll container at its end while content grows, unless the reader scrolled up. */
export function useStickToBottom<T extends HTMLElement>(content: unknown) {
  const ref = useRef<T>(null);
  const stick = useRef(true);
  const onScroll = useCallback(() => {
    const element = ref.current;
    if (element) stick.current = element.scrollHeight - element.scrollTop - element.clientHeight < NEAR_BOTTOM_PX;
  }, []);
  useLayoutEffect(() => {
    const element = ref.current;
    if (element && stick.current) element.scrollTop = element.scrollHeight;
  }, [content]);
  return { ref, onScroll };
}
