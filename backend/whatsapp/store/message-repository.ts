import type { Knex } from 'knex';
import type { WhatsAppMessage, WhatsAppMessageStatus } from '#protocol';
import type { InboundMessage } from '../inbound/inbound-message';
import { MESSAGES_TABLE } from './migrations';

interface MessageRow {
  id: string;
  contact_id: string;
  direction: 'in' | 'out';
  kind: string;
  text: string;
  author: WhatsAppMessage['author'];
  status: WhatsAppMessageStatus;
  error: string | null;
  timestamp: number | string;
  provider_id: string | null;
  batch_id: string | null;
  part: number | string;
  idempotency_key: string | null;
  detail_json: string | null;
}

/** An outbound message as the sender needs it. */
export interface OutboundRecord {
  id: string;
  contactId: string;
  kind: 'text' | 'template';
  text: string;
  author: WhatsAppMessage['author'];
  status: WhatsAppMessageStatus;
  /** The inbound message the reply quotes (Cloud API `context.message_id`). */
  replyTo: string | undefined;
  /** How many sends failed with a retryable error so far. */
  failedSends: number;
}

export interface NewOutbound {
  id: string;
  contactId: string;
  kind: 'text';
  text: string;
  author: 'agent' | 'operator';
  batchId: string | null;
  part: number;
  /** Null for operator replies (each is its own). */
  idempotencyKey: string | null;
  replyTo?: string;
}

/** Outbound statuses only ever move forward: Meta's status webhooks arrive out of order. */
const OUTBOUND_RANK: Partial<Record<WhatsAppMessageStatus, number>> = { pending: 0, sending: 1, sent: 2, delivered: 3, read: 4, failed: 5 };

/** The inbox's messages, inbound and outbound, with where each stands. */
export class MessageRepository {
  constructor(private readonly knex: Knex) {}

  /** Records an inbound message once; false when it was already recorded (a re-delivery). */
  async recordInbound(message: InboundMessage): Promise<boolean> {
    const now = Date.now();
    const inserted = (await this.knex(MESSAGES_TABLE)
      .insert({
        id: message.id,
        contact_id: message.contact.id,
        direction: 'in',
        kind: message.kind,
        text: message.text,
        author: 'contact',
        status: 'received',
        timestamp: message.timestamp,
        detail_json: JSON.stringify({ media: message.media, replyTo: message.replyTo }),
        created_at: now,
        updated_at: now,
      })
      .onConflict('id')
      .ignore()
      .returning('id')) as Array<{ id: string }>;
    return inserted.length > 0;
  }

  /** The contact's inbound messages not answered yet, in the order the contact sent them. */
  async unanswered(contactId: string): Promise<WhatsAppMessage[]> {
    const rows = (await this.knex(MESSAGES_TABLE)
      .select('*')
      .where({ contact_id: contactId, direction: 'in', status: 'received' })
      .orderBy([{ column: 'timestamp' }, { column: 'created_at' }])) as MessageRow[];
    return rows.map(messageFromRow);
  }

  async setInboundText(id: string, text: string): Promise<void> {
    await this.knex(MESSAGES_TABLE).where({ id }).update({ text, updated_at: Date.now() });
  }

  async settleInbound(ids: string[], status: 'answered' | 'held' | 'skipped', batchId: string | null, error: string | null = null): Promise<void> {
    if (!ids.length) return;
    await this.knex(MESSAGES_TABLE).whereIn('id', ids).update({ status, batch_id: batchId, error, updated_at: Date.now() });
  }

  /**
   * Records a turn's reply parts and settles the inbound messages it answered, in one transaction:
   * after a crash either both happened (the parts are sent on resume) or neither (the turn runs again).
   */
  async recordReply(parts: NewOutbound[], answered: string[], batchId: string): Promise<void> {
    await this.knex.transaction(async (trx) => {
      if (parts.length) await trx(MESSAGES_TABLE).insert(parts.map((part) => outboundRow(part))).onConflict('idempotency_key').ignore();
      if (answered.length) await trx(MESSAGES_TABLE).whereIn('id', answered).update({ status: 'answered', batch_id: batchId, updated_at: Date.now() });
    });
  }

  async recordOutbound(part: NewOutbound): Promise<void> {
    await this.knex(MESSAGES_TABLE).insert(outboundRow(part));
  }

  /** Outbound messages of the contact still to send (or interrupted while sending), oldest first. */
  async unsent(contactId: string): Promise<OutboundRecord[]> {
    const rows = (await this.knex(MESSAGES_TABLE)
      .select('*')
      .where({ contact_id: contactId, direction: 'out' })
      .whereIn('status', ['pending', 'sending'])
      .orderBy([{ column: 'timestamp' }, { column: 'part' }])) as MessageRow[];
    return rows.map(outboundFromRow);
  }

  async get(id: string): Promise<WhatsAppMessage | undefined> {
    const row = (await this.knex(MESSAGES_TABLE).first('*').where({ id })) as MessageRow | undefined;
    return row && messageFromRow(row);
  }

  async markSending(id: string): Promise<void> {
    await this.knex(MESSAGES_TABLE).where({ id, status: 'pending' }).update({ status: 'sending', updated_at: Date.now() });
  }

  async markSent(id: string, providerId: string, kind?: 'template', text?: string): Promise<void> {
    await this.knex(MESSAGES_TABLE)
      .where({ id })
      .whereIn('status', ['pending', 'sending'])
      .update({ status: 'sent', provider_id: providerId, error: null, updated_at: Date.now(), ...(kind ? { kind, text } : {}) });
  }

  /** A retryable failure: back to pending, with the error shown until the retry succeeds. */
  async markRetrying(id: string, error: string): Promise<void> {
    const row = (await this.knex(MESSAGES_TABLE).first('detail_json').where({ id })) as { detail_json: string | null } | undefined;
    const detail = parseDetail(row?.detail_json ?? null);
    detail.failedSends = (detail.failedSends ?? 0) + 1;
    await this.knex(MESSAGES_TABLE).where({ id }).update({ status: 'pending', error, detail_json: JSON.stringify(detail), updated_at: Date.now() });
  }

  async markFailed(id: string, error: string): Promise<void> {
    await this.knex(MESSAGES_TABLE).where({ id }).update({ status: 'failed', error, updated_at: Date.now() });
  }

  /** A status webhook: moves the message forward only; returns its contact when something changed. */
  async advanceStatus(providerId: string, status: 'sent' | 'delivered' | 'read' | 'failed', error: string | null): Promise<string | undefined> {
    const rank = OUTBOUND_RANK[status]!;
    const lower = Object.entries(OUTBOUND_RANK)
      .filter(([, value]) => value < rank)
      .map(([name]) => name);
    const rows = (await this.knex(MESSAGES_TABLE)
      .where({ provider_id: providerId, direction: 'out' })
      .whereIn('status', lower)
      .update({ status, ...(error ? { error } : {}), updated_at: Date.now() })
      .returning('contact_id')) as Array<{ contact_id: string }>;
    return rows[0]?.contact_id;
  }

  async list(contactId: string, limit: number): Promise<WhatsAppMessage[]> {
    const rows = (await this.knex(MESSAGES_TABLE)
      .select('*')
      .where({ contact_id: contactId })
      .orderBy([{ column: 'timestamp', order: 'desc' }, { column: 'part', order: 'desc' }])
      .limit(limit)) as MessageRow[];
    return rows.reverse().map(messageFromRow);
  }
}

function outboundRow(part: NewOutbound) {
  const now = Date.now();
  return {
    id: part.id,
    contact_id: part.contactId,
    direction: 'out',
    kind: part.kind,
    text: part.text,
    author: part.author,
    status: 'pending',
    timestamp: now,
    batch_id: part.batchId,
    part: part.part,
    idempotency_key: part.idempotencyKey,
    detail_json: JSON.stringify({ replyTo: part.replyTo }),
    created_at: now,
    updated_at: now,
  };
}

interface MessageDetail {
  replyTo?: string;
  failedSends?: number;
}

function parseDetail(json: string | null): MessageDetail {
  if (!json) return {};
  try {
    return JSON.parse(json) as MessageDetail;
  } catch {
    return {};
  }
}

function messageFromRow(row: MessageRow): WhatsAppMessage {
  return {
    id: row.id,
    contactId: row.contact_id,
    direction: row.direction,
    kind: row.kind,
    text: row.text,
    author: row.author,
    status: row.status,
    error: row.error,
    timestamp: Number(row.timestamp),
  };
}

function outboundFromRow(row: MessageRow): OutboundRecord {
  const detail = parseDetail(row.detail_json);
  return {
    id: row.id,
    contactId: row.contact_id,
    kind: row.kind === 'template' ? 'template' : 'text',
    text: row.text,
    author: row.author,
    status: row.status,
    replyTo: detail.replyTo,
    failedSends: detail.failedSends ?? 0,
  };
}
