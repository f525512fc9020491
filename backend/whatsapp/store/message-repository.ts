import type { Knex } from 'knex';
import type { WhatsAppMessage, WhatsAppMessageStatus } from '#protocol';
import type { InteractiveContent } from '../adapter/messaging-adapter';
import type { InboundMessage } from '../inbound/inbound-message';
import type { StoredMedia } from './media-files';
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
  note: string | null;
  timestamp: number | string;
  provider_id: string | null;
  batch_id: string | null;
  part: number | string;
  idempotency_key: string | null;
  detail_json: string | null;
  sent_at: number | string | null;
}

/** What a message's detail_json holds, by direction. */
interface MessageDetail {
  /** Outbound: the inbound message the reply quotes (Cloud API `context.message_id`). */
  replyTo?: string;
  /** Outbound: sends that failed with a retryable error so far. */
  failedSends?: number;
  /** Inbound: the provider's reference to its media (fetched by the job). */
  media?: InboundMessage['media'];
  /** Inbound: the id of the button or list row the contact tapped. */
  choiceId?: string;
  /** A copy of the media kept in the media folder (voice notes in and out). */
  stored?: StoredMedia;
  /** Outbound: the buttons or list sent with the text. */
  interactive?: InteractiveContent;
}

export type OutboundKind = 'text' | 'audio' | 'interactive';

/** An outbound message as the sender needs it. */
export interface OutboundRecord {
  id: string;
  contactId: string;
  kind: OutboundKind | 'template';
  text: string;
  author: WhatsAppMessage['author'];
  status: WhatsAppMessageStatus;
  replyTo: string | undefined;
  failedSends: number;
  stored: StoredMedia | undefined;
  interactive: InteractiveContent | undefined;
}

export interface NewOutbound {
  id: string;
  contactId: string;
  kind: OutboundKind;
  /** The text; for a voice note what it says, for the operator to read. */
  text: string;
  author: 'agent' | 'operator' | 'system';
  batchId: string | null;
  part: number;
  /** Null for operator replies (each is its own). */
  idempotencyKey: string | null;
  replyTo?: string;
  stored?: StoredMedia;
  interactive?: InteractiveContent;
}

/** An inbound message waiting for its answer, with what the job needs to handle it. */
export interface PendingInbound {
  id: string;
  kind: string;
  text: string;
  timestamp: number;
  media: InboundMessage['media'];
}

/** What a status webhook changed: the message's contact, and for its first 'delivered' how long after the send. */
export interface StatusChange {
  contactId: string;
  deliveredAfterMs: number | undefined;
}

/** Outbound statuses only ever move forward: Meta's status webhooks arrive out of order. */
const OUTBOUND_RANK: Partial<Record<WhatsAppMessageStatus, number>> = { pending: 0, sending: 1, sent: 2, delivered: 3, read: 4, failed: 5 };
const NOT_YET_DELIVERED = ['pending', 'sending', 'sent'];

/** The inbox's messages, inbound and outbound, with where each stands. */
export class MessageRepository {
  constructor(private readonly knex: Knex) {}

  /**
   * Records an inbound message once; false when it was already recorded (a re-delivery). Recorded
   * as waiting for its answer, or already settled (a confirmation's "yes" is no question for the agent).
   */
  async recordInbound(message: InboundMessage, settled?: { status: 'answered' | 'skipped'; note?: string; error?: string }): Promise<boolean> {
    const now = Date.now();
    const detail: MessageDetail = { media: message.media, replyTo: message.replyTo, choiceId: message.choiceId };
    const inserted = (await this.knex(MESSAGES_TABLE)
      .insert({
        id: message.id,
        contact_id: message.contact.id,
        direction: 'in',
        kind: message.kind,
        text: message.text,
        author: 'contact',
        status: settled?.status ?? 'received',
        note: settled?.note ?? null,
        error: settled?.error ?? null,
        timestamp: message.timestamp,
        detail_json: JSON.stringify(detail),
        created_at: now,
        updated_at: now,
      })
      .onConflict('id')
      .ignore()
      .returning('id')) as Array<{ id: string }>;
    return inserted.length > 0;
  }

  /** The contact's inbound messages not answered yet, in the order the contact sent them. */
  async unanswered(contactId: string): Promise<PendingInbound[]> {
    const rows = (await this.knex(MESSAGES_TABLE)
      .select('id', 'kind', 'text', 'timestamp', 'detail_json')
      .where({ contact_id: contactId, direction: 'in', status: 'received' })
      .orderBy([{ column: 'timestamp' }, { column: 'created_at' }])) as Array<Pick<MessageRow, 'id' | 'kind' | 'text' | 'timestamp' | 'detail_json'>>;
    return rows.map((row) => ({ id: row.id, kind: row.kind, text: row.text, timestamp: Number(row.timestamp), media: parseDetail(row.detail_json).media }));
  }

  async setInboundText(id: string, text: string): Promise<void> {
    await this.knex(MESSAGES_TABLE).where({ id }).update({ text, updated_at: Date.now() });
  }

  /** Notes the copy of a message's media kept on disk (a voice note the inbox plays). */
  async setStoredMedia(id: string, stored: StoredMedia): Promise<void> {
    const row = (await this.knex(MESSAGES_TABLE).first('detail_json').where({ id })) as Pick<MessageRow, 'detail_json'> | undefined;
    if (!row) return;
    await this.knex(MESSAGES_TABLE).where({ id }).update({ detail_json: JSON.stringify({ ...parseDetail(row.detail_json), stored }), updated_at: Date.now() });
  }

  async settleInbound(ids: string[], status: 'answered' | 'held' | 'skipped', batchId: string | null, error: string | null = null, note: string | null = null): Promise<void> {
    if (!ids.length) return;
    await this.knex(MESSAGES_TABLE).whereIn('id', ids).update({ status, batch_id: batchId, error, note, updated_at: Date.now() });
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

  /** One outbound message; one with an idempotency key already recorded is not recorded again (false). */
  async recordOutbound(part: NewOutbound): Promise<boolean> {
    const inserted = (await this.knex(MESSAGES_TABLE).insert(outboundRow(part)).onConflict('idempotency_key').ignore().returning('id')) as Array<{ id: string }>;
    return inserted.length > 0;
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

  /** The kept copy of a message's media, for the inbox's player. */
  async storedMedia(id: string): Promise<StoredMedia | undefined> {
    const row = (await this.knex(MESSAGES_TABLE).first('detail_json').where({ id })) as Pick<MessageRow, 'detail_json'> | undefined;
    return row ? parseDetail(row.detail_json).stored : undefined;
  }

  async markSending(id: string): Promise<void> {
    await this.knex(MESSAGES_TABLE).where({ id, status: 'pending' }).update({ status: 'sending', updated_at: Date.now() });
  }

  async markSent(id: string, providerId: string, override?: { kind: 'template'; text: string }): Promise<void> {
    const now = Date.now();
    await this.knex(MESSAGES_TABLE)
      .where({ id })
      .whereIn('status', ['pending', 'sending'])
      .update({ status: 'sent', provider_id: providerId, error: null, sent_at: now, updated_at: now, ...(override ?? {}) });
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

  /**
   * A status webhook: moves the message forward only; undefined when nothing changed. The first
   * 'delivered' (or a 'read' that overtook it) reports how long after the send it came.
   */
  async advanceStatus(providerId: string, status: 'sent' | 'delivered' | 'read' | 'failed', error: string | null, now = Date.now()): Promise<StatusChange | undefined> {
    const ours = () => this.knex(MESSAGES_TABLE).where({ provider_id: providerId, direction: 'out' });
    const changes = { status, ...(error ? { error } : {}), updated_at: now };
    if (status === 'delivered' || status === 'read') {
      const first = (await ours().whereIn('status', NOT_YET_DELIVERED).update(changes).returning(['contact_id', 'sent_at'])) as Array<Pick<MessageRow, 'contact_id' | 'sent_at'>>;
      if (first[0]) return { contactId: first[0].contact_id, deliveredAfterMs: first[0].sent_at === null ? undefined : Math.max(0, now - Number(first[0].sent_at)) };
    }
    const rank = OUTBOUND_RANK[status]!;
    const lower = Object.entries(OUTBOUND_RANK)
      .filter(([, value]) => value < rank)
      .map(([name]) => name);
    const rows = (await ours().whereIn('status', lower).update(changes).returning('contact_id')) as Array<Pick<MessageRow, 'contact_id'>>;
    return rows[0] ? { contactId: rows[0].contact_id, deliveredAfterMs: undefined } : undefined;
  }

  /** Whether an outbound message was recorded as sent with this provider id. */
  async hasOutbound(providerId: string): Promise<boolean> {
    return Boolean(await this.knex(MESSAGES_TABLE).first('id').where({ provider_id: providerId, direction: 'out' }));
  }

  /** When messages to the contact were accepted by the provider since `since` (epoch ms), oldest first: the pacer's memory across a restart. */
  async sendTimes(contactId: string, since: number): Promise<number[]> {
    const rows = (await this.knex(MESSAGES_TABLE)
      .select('sent_at')
      .where({ contact_id: contactId, direction: 'out' })
      .where('sent_at', '>=', since)
      .orderBy('sent_at')) as Array<{ sent_at: number | string }>;
    return rows.map((row) => Number(row.sent_at));
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
  const detail: MessageDetail = { replyTo: part.replyTo, stored: part.stored, interactive: part.interactive };
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
    detail_json: JSON.stringify(detail),
    created_at: now,
    updated_at: now,
  };
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
  const detail = parseDetail(row.detail_json);
  let media: WhatsAppMessage['media'] = null;
  if (detail.media) media = { mimeType: detail.media.mimeType, fileName: detail.media.filename ?? null, voice: detail.media.voice, playable: Boolean(detail.stored) };
  else if (detail.stored) media = { mimeType: detail.stored.mimeType, fileName: null, voice: row.kind === 'audio', playable: true };
  const interactive = detail.interactive;
  return {
    id: row.id,
    contactId: row.contact_id,
    direction: row.direction,
    kind: row.kind,
    text: row.text,
    author: row.author,
    status: row.status,
    error: row.error,
    note: row.note ?? null,
    media,
    choices: interactive ? (interactive.type === 'button' ? interactive.buttons : interactive.rows.map((row) => ({ id: row.id, title: row.description ?? row.title }))) : null,
    timestamp: Number(row.timestamp),
  };
}

function outboundFromRow(row: MessageRow): OutboundRecord {
  const detail = parseDetail(row.detail_json);
  return {
    id: row.id,
    contactId: row.contact_id,
    kind: row.kind === 'template' || row.kind === 'audio' || row.kind === 'interactive' ? row.kind : 'text',
    text: row.text,
    author: row.author,
    status: row.status,
    replyTo: detail.replyTo,
    failedSends: detail.failedSends ?? 0,
    stored: detail.stored,
    interactive: detail.interactive,
  };
}
