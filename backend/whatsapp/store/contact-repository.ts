import type { Knex } from 'knex';
import { ParleyError, type WhatsAppContact } from '#protocol';
import { CONTACTS_TABLE } from './migrations';

interface ContactRow {
  id: string;
  wa_id: string;
  name: string;
  provider: WhatsAppContact['provider'];
  conversation_id: string | null;
  taken_over: number | boolean;
  opted_out: number | boolean;
  window_closed: number | boolean;
  unread: number | string;
  last_message_at: number | string;
  last_text: string;
}

export type ContactFlag = 'taken_over' | 'opted_out' | 'window_closed';

/** The contacts of the inbox: who wrote, their conversation with the agent, and the operator's flags. */
export class ContactRepository {
  constructor(private readonly knex: Knex) {}

  /** Creates the contact on its first message; later messages only refresh the name and the preview. */
  async recordInbound(contact: { id: string; waId: string; name: string }, provider: WhatsAppContact['provider'], preview: string, at: number): Promise<void> {
    await this.knex(CONTACTS_TABLE)
      .insert({ id: contact.id, wa_id: contact.waId, name: contact.name, provider, last_message_at: at, last_text: preview, unread: 1, created_at: Date.now() })
      .onConflict('id')
      .merge({
        name: contact.name || this.knex.ref(`${CONTACTS_TABLE}.name`),
        last_message_at: at,
        last_text: preview,
        unread: this.knex.raw('?? + 1', [`${CONTACTS_TABLE}.unread`]),
      });
  }

  /** The job's fallback when the webhook stopped between its two writes: creates the contact if it is missing. */
  async ensure(contact: { id: string; waId: string; name: string }, provider: WhatsAppContact['provider'], preview: string, at: number): Promise<void> {
    await this.knex(CONTACTS_TABLE)
      .insert({ id: contact.id, wa_id: contact.waId, name: contact.name, provider, last_message_at: at, last_text: preview, unread: 1, created_at: Date.now() })
      .onConflict('id')
      .ignore();
  }

  async findByConversation(conversationId: string): Promise<WhatsAppContact | undefined> {
    const row = (await this.knex(CONTACTS_TABLE).first('*').where({ conversation_id: conversationId })) as ContactRow | undefined;
    return row && contactFromRow(row);
  }

  async get(id: string): Promise<WhatsAppContact> {
    const row = (await this.knex(CONTACTS_TABLE).first('*').where({ id })) as ContactRow | undefined;
    if (!row) throw new ParleyError('not_found', `No WhatsApp contact ${id}`);
    return contactFromRow(row);
  }

  async list(): Promise<WhatsAppContact[]> {
    const rows = (await this.knex(CONTACTS_TABLE).select('*').orderBy('last_message_at', 'desc').limit(1000)) as ContactRow[];
    return rows.map(contactFromRow);
  }

  /** Sets the conversation only if none is set, so two racing first turns end in one conversation. */
  async attachConversation(id: string, conversationId: string): Promise<string> {
    await this.knex(CONTACTS_TABLE).where({ id }).whereNull('conversation_id').update({ conversation_id: conversationId });
    return (await this.get(id)).conversationId!;
  }

  async setFlag(id: string, flag: ContactFlag, value: boolean): Promise<void> {
    await this.knex(CONTACTS_TABLE).where({ id }).update({ [flag]: value });
  }

  async noteOutbound(id: string, preview: string, at: number): Promise<void> {
    await this.knex(CONTACTS_TABLE).where({ id }).update({ last_text: preview, last_message_at: at });
  }

  async markRead(id: string): Promise<void> {
    await this.knex(CONTACTS_TABLE).where({ id }).update({ unread: 0 });
  }
}

function contactFromRow(row: ContactRow): WhatsAppContact {
  return {
    id: row.id,
    waId: row.wa_id,
    name: row.name,
    provider: row.provider,
    conversationId: row.conversation_id,
    takenOver: Boolean(row.taken_over),
    optedOut: Boolean(row.opted_out),
    windowClosed: Boolean(row.window_closed),
    unread: Number(row.unread),
    lastMessageAt: Number(row.last_message_at),
    lastText: row.last_text,
  };
}
