import type { InboundMessage } from './inbound-message';

/** The line the inbox shows under a contact's name. */
export function previewOf(message: InboundMessage): string {
  if (message.text.trim()) return message.text.slice(0, 200);
  if (message.kind === 'audio') return message.media?.voice ? '🎤 Voice note' : '🎵 Audio';
  return `(${message.kind})`;
}
