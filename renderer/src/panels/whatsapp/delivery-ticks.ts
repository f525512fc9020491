import type { WhatsAppMessage } from '#protocol';

/** WhatsApp's ticks for our messages, and words for the screen reader and the tooltip. */
export function deliveryTicks(message: WhatsAppMessage): { ticks: string; label: string; tone: 'pending' | 'sent' | 'read' | 'failed' } {
  switch (message.status) {
    case 'pending':
    case 'sending':
      return { ticks: '🕓', label: message.error ? `Waiting to send: ${message.error}` : 'Sending', tone: 'pending' };
    case 'sent':
      return { ticks: '✓', label: 'Sent', tone: 'sent' };
    case 'delivered':
      return { ticks: '✓✓', label: 'Delivered', tone: 'sent' };
    case 'read':
      return { ticks: '✓✓', label: 'Read', tone: 'read' };
    case 'failed':
      return { ticks: '⚠', label: `Failed: ${message.error ?? 'unknown error'}`, tone: 'failed' };
    default:
      return { ticks: '', label: message.status, tone: 'sent' };
  }
}

/** What an inbound message's state means to the operator. */
export function inboundNote(message: WhatsAppMessage): string | null {
  if (message.status === 'held') return 'Held for the operator (taken over)';
  if (message.status === 'skipped') return message.error ?? 'Not answered';
  if (message.status === 'received') return 'Waiting for the agent';
  return message.note;
}
