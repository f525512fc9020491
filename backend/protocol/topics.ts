import { z } from 'zod';

/**
 * Topics a console subscribes to (`events.subscribe`): it receives only what it shows.
 * - `settings`: settings.changed (the shell keeps this one for the whole session)
 * - `conversations`: the conversation list changed
 * - `conversation:<id>`: one conversation's turns as they stream (agent.turn.*)
 * - `speech.models`: model download progress
 * - `diagnostics`: stored metrics and replay progress (the Diagnostics panel)
 * - `diagnostics.status`: the agent's activity and unhealthy components (the shell's indicator)
 */
export const TOPIC_PATTERN = /^[a-z][a-z0-9.]{0,63}(:[\w.-]{1,128})?$/;
export const topicSchema = z.string().regex(TOPIC_PATTERN, 'a topic like "conversations" or "conversation:<id>"');

export const topics = {
  settings: 'settings',
  conversations: 'conversations',
  conversation: (conversationId: string) => `conversation:${conversationId}`,
  speechModels: 'speech.models',
  actions: 'actions',
  confirmations: 'confirmations',
  whatsapp: 'whatsapp',
  databases: 'databases',
  documents: 'documents',
  diagnostics: 'diagnostics',
  diagnosticsStatus: 'diagnostics.status',
} as const;
