import type { Message } from '#protocol';

/**
 * The messages of the current session: those after the last silence longer than `idleExpiryMs`
 * (a WhatsApp contact who writes again a day later starts afresh). Without a limit, all of them.
 */
export function currentSession(messages: Message[], idleExpiryMs: number | undefined, now = Date.now()): Message[] {
  if (idleExpiryMs === undefined || messages.length === 0) return messages;
  let start = messages.length;
  let later = now;
  for (let index = messages.length - 1; index >= 0; index--) {
    const at = Date.parse(messages[index]!.createdAt);
    if (later - at > idleExpiryMs) break;
    start = index;
    later = at;
  }
  return messages.slice(start);
}
