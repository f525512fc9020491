import { topics } from '#protocol';

/**
 * Every server-state query's key. Prefixes group what one event invalidates: ['conversations']
 * is every list and every thread, ['conversations', 'list'] every search of the list.
 */
export const queryKeys = {
  settings: ['settings'] as const,
  providers: ['providers'] as const,
  providerModels: (providerId: string) => ['providers', providerId, 'models'] as const,
  conversationLists: ['conversations', 'list'] as const,
  conversationList: (search: string) => ['conversations', 'list', search] as const,
  conversationMessages: (conversationId: string) => ['conversations', 'messages', conversationId] as const,
  speechModels: ['speech.models'] as const,
  diagnostics: ['diagnostics'] as const,
  systemInfo: ['diagnostics', 'info'] as const,
  roundTrip: ['diagnostics', 'roundTrip'] as const,
  health: ['diagnostics', 'health'] as const,
  recentLogs: (limit: number) => ['diagnostics', 'recentLogs', limit] as const,
  jobs: ['diagnostics', 'jobs'] as const,
};

const CONVERSATION_TOPIC = /^conversation:(.+)$/;

/**
 * The queries a topic's events keep fresh. While a topic is not held its events are missed, so
 * taking it again marks these stale: what is shown is reloaded once, then followed.
 */
export function queryKeysOfTopic(topic: string): ReadonlyArray<readonly unknown[]> {
  if (topic === topics.settings) return [queryKeys.settings];
  if (topic === topics.conversations) return [queryKeys.conversationLists];
  if (topic === topics.speechModels) return [queryKeys.speechModels];
  const conversation = CONVERSATION_TOPIC.exec(topic);
  if (conversation) return [queryKeys.conversationMessages(conversation[1]!)];
  return [];
}
