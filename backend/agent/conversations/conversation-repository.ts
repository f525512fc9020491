import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import {
  answerMetaSchema,
  ParleyError,
  toolCallSchema,
  toolResultSchema,
  type AnswerMeta,
  type Channel,
  type Conversation,
  type Message,
  type ToolCall,
  type ToolResult,
} from '#protocol';

interface ConversationRow {
  id: string;
  title: string;
  channel: Channel;
  created_at: string;
  updated_at: string;
  message_count?: number;
}

interface MessageRow {
  id: string;
  conversation_id: string;
  seq: number;
  role: Message['role'];
  content: string;
  tool_calls_json: string;
  tool_result_json: string | null;
  meta_json: string | null;
  status: Message['status'];
  created_at: string;
}

export interface NewMessage {
  /** A caller-chosen id (a channel that may run the same turn again keeps its user message's id); random by default. */
  id?: string;
  role: Message['role'];
  content: string;
  toolCalls?: ToolCall[];
  toolResult?: ToolResult;
  meta?: AnswerMeta;
  status: Message['status'];
}

/** Conversations and their messages, in order, with tool calls, results and answer metadata. */
export class ConversationRepository {
  constructor(private readonly knex: Knex) {}

  async create(channel: Channel, title = 'New conversation'): Promise<Conversation> {
    const now = new Date().toISOString();
    const row: ConversationRow = { id: randomUUID(), title, channel, created_at: now, updated_at: now };
    await this.knex('conversations').insert(row);
    return toConversation({ ...row, message_count: 0 });
  }

  async get(id: string): Promise<Conversation> {
    const row = (await this.withCounts().where('c.id', id).first()) as ConversationRow | undefined;
    if (!row) throw new ParleyError('not_found', `No conversation "${id}"`, { hint: 'It may have been deleted in another window.' });
    return toConversation(row);
  }

  async list(options: { search?: string; channel?: Channel } = {}): Promise<Conversation[]> {
    const query = this.withCounts().orderBy('c.updated_at', 'desc').limit(500);
    if (options.channel) query.where('c.channel', options.channel);
    const search = options.search?.trim();
    if (search) {
      const pattern = `%${search.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
      query.where((where) =>
        where
          .whereRaw("c.title LIKE ? ESCAPE '\\'", [pattern])
          .orWhereExists(
            this.knex('messages as m')
              .whereRaw('m.conversation_id = c.id')
              .whereRaw("m.content LIKE ? ESCAPE '\\'", [pattern])
              .whereIn('m.role', ['user', 'assistant']),
          ),
      );
    }
    return ((await query) as ConversationRow[]).map(toConversation);
  }

  async rename(id: string, title: string): Promise<Conversation> {
    const updated = await this.knex('conversations').where({ id }).update({ title, updated_at: new Date().toISOString() });
    if (updated === 0) throw new ParleyError('not_found', `No conversation "${id}"`);
    return this.get(id);
  }

  async delete(id: string): Promise<boolean> {
    return (await this.knex('conversations').where({ id }).delete()) > 0;
  }

  async messages(conversationId: string): Promise<Message[]> {
    const rows = (await this.knex('messages').where({ conversation_id: conversationId }).orderBy('seq')) as MessageRow[];
    return rows.map(toMessage);
  }

  /** Appends in one transaction, so a turn's tool calls, results and answer land together or not at all. */
  async append(conversationId: string, messages: NewMessage[]): Promise<Message[]> {
    if (messages.length === 0) return [];
    return this.knex.transaction(async (trx) => {
      const last = (await trx('messages').where({ conversation_id: conversationId }).max({ seq: 'seq' }).first()) as { seq: number | null } | undefined;
      let seq = last?.seq ?? 0;
      const now = new Date().toISOString();
      const rows: MessageRow[] = messages.map((message) => ({
        id: message.id ?? randomUUID(),
        conversation_id: conversationId,
        seq: ++seq,
        role: message.role,
        content: message.content,
        tool_calls_json: JSON.stringify(message.toolCalls ?? []),
        tool_result_json: message.toolResult ? JSON.stringify(message.toolResult) : null,
        meta_json: message.meta ? JSON.stringify(message.meta) : null,
        status: message.status,
        created_at: now,
      }));
      // SQLite refuses a multi-row insert of more than 500 rows (compound SELECT terms): insert in slices.
      for (let start = 0; start < rows.length; start += 200) await trx('messages').insert(rows.slice(start, start + 200));
      const touched = await trx('conversations').where({ id: conversationId }).update({ updated_at: now });
      if (touched === 0) throw new ParleyError('not_found', `No conversation "${conversationId}"`);
      return rows.map(toMessage);
    });
  }

  /** Removes the message and everything after it (a turn that runs again after an interruption); false when it is not there. */
  async removeFrom(conversationId: string, messageId: string): Promise<boolean> {
    // Usually there is nothing (the turn's first run): one read, no transaction. The delete is one statement.
    const row = (await this.knex('messages').first('seq').where({ conversation_id: conversationId, id: messageId })) as { seq: number } | undefined;
    if (!row) return false;
    await this.knex('messages').where({ conversation_id: conversationId }).where('seq', '>=', row.seq).delete();
    return true;
  }

  /** Removes everything after the last user message (the answer being regenerated) and returns that message. */
  async truncateAfterLastUserMessage(conversationId: string): Promise<Message> {
    return this.knex.transaction(async (trx) => {
      const lastUser = (await trx('messages')
        .where({ conversation_id: conversationId, role: 'user' })
        .orderBy('seq', 'desc')
        .first()) as MessageRow | undefined;
      if (!lastUser) throw new ParleyError('conflict', 'Nothing to regenerate: the conversation has no user message yet');
      await trx('messages').where({ conversation_id: conversationId }).where('seq', '>', lastUser.seq).delete();
      return toMessage(lastUser);
    });
  }

  private withCounts() {
    return this.knex('conversations as c').select(
      'c.*',
      // What the user counts: their messages and the answers, not the tool rounds in between.
      this.knex.raw(
        "(select count(*) from messages m where m.conversation_id = c.id and (m.role = 'user' or (m.role = 'assistant' and m.tool_calls_json = '[]'))) as message_count",
      ),
    );
  }
}

function toConversation(row: ConversationRow): Conversation {
  return {
    id: row.id,
    title: row.title,
    channel: row.channel,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    messageCount: Number(row.message_count ?? 0),
  };
}

function toMessage(row: MessageRow): Message {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    role: row.role,
    content: row.content,
    toolCalls: toolCallSchema.array().parse(JSON.parse(row.tool_calls_json)),
    toolResult: row.tool_result_json ? toolResultSchema.parse(JSON.parse(row.tool_result_json)) : undefined,
    meta: row.meta_json ? answerMetaSchema.parse(JSON.parse(row.meta_json)) : undefined,
    status: row.status,
    createdAt: row.created_at,
  };
}
