import type { StatusUpdate } from '../cloud/cloud-webhook';
import type { MessageRepository, StatusChange } from '../store/message-repository';

/** How long a status for a send not recorded yet is kept: the send's answer comes within seconds. */
const HOLD_MS = 5 * 60_000;
/** At most this many are kept (a flood of statuses for ids never ours must not grow memory). */
const MAX_HELD = 5_000;

/**
 * Statuses that overtook their send. Meta can report "sent" or "delivered" for a message id before
 * the answer to the send that issued it reached the bridge and was recorded; such a status found no
 * message and was lost, leaving the reply at "sent" for good. It is held here and applied once the
 * send is recorded with that id.
 */
export class EarlyStatuses {
  private readonly held = new Map<string, Array<StatusUpdate & { at: number }>>();

  constructor(
    private readonly messages: MessageRepository,
    private readonly onChange: (change: StatusChange) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** A status whose message id matched nothing: kept if no outbound message has that id yet. */
  async holdIfUnknown(status: StatusUpdate): Promise<void> {
    if (await this.messages.hasOutbound(status.providerId)) return;
    const now = this.now();
    this.dropExpired(now);
    if (this.held.size >= MAX_HELD && !this.held.has(status.providerId)) return;
    this.held.set(status.providerId, [...(this.held.get(status.providerId) ?? []), { ...status, at: now }]);
  }

  /** The send with this id was just recorded: what arrived for it before is applied now. */
  async applyTo(providerId: string): Promise<void> {
    const statuses = this.held.get(providerId);
    if (!statuses) return;
    this.held.delete(providerId);
    for (const status of statuses) {
      const change = await this.messages.advanceStatus(providerId, status.status, status.error, status.at);
      if (change) this.onChange(change);
    }
  }

  private dropExpired(now: number): void {
    for (const [providerId, statuses] of this.held) {
      if (now - statuses[0]!.at <= HOLD_MS) break;
      this.held.delete(providerId);
    }
  }
}
