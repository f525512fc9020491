const WINDOW_MS = 60_000;

/** What to do with a contact's message: answer it, or record it unanswered with the one notice, or without. */
export type RateDecision = 'ok' | 'notice' | 'ignore';

interface Window {
  /** When each message of the last minute arrived. */
  arrivals: number[];
  /** This contact was told in the current stretch of excess; reset once they are back under the limit. */
  noticed: boolean;
}

/**
 * Messages per contact per minute (sliding window). Past the limit a contact is told once, then
 * not answered until they are back under it (their messages are still recorded for the operator). In memory: a restart forgets a minute of counts, which
 * costs at most one more notice, and a limit that holds for minutes is the operator's block list.
 */
export class RateLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly now: () => number = Date.now) {}

  admit(contactId: string, perMinute: number): RateDecision {
    if (perMinute <= 0) return 'ok';
    const now = this.now();
    let window = this.windows.get(contactId);
    if (!window) {
      window = { arrivals: [], noticed: false };
      this.windows.set(contactId, window);
      if (this.windows.size > 10_000) this.forgetIdle(now);
    }
    while (window.arrivals.length && window.arrivals[0]! <= now - WINDOW_MS) window.arrivals.shift();
    if (window.arrivals.length < perMinute) {
      window.arrivals.push(now);
      window.noticed = false;
      return 'ok';
    }
    if (window.noticed) return 'ignore';
    window.noticed = true;
    return 'notice';
  }

  private forgetIdle(now: number): void {
    for (const [contactId, window] of this.windows) if (!window.arrivals.some((at) => at > now - WINDOW_MS)) this.windows.delete(contactId);
  }
}

/** Why a message over the rate limit was not answered, for the inbox. */
export function rateLimitedError(config: { rateLimitPerMinute: number }): string {
  return `Not answered: over the rate limit of ${config.rateLimitPerMinute} messages a minute.`;
}
