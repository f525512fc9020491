import { randomUUID } from 'node:crypto';
import type { Message, MethodHandlers } from '#protocol';
import type { PublishEvent } from '../platform/events';
import type { ToolRegistry } from '../platform/tools';
import type { TurnResult } from '../platform/turns';
import type { ConversationRepository } from './conversations/conversation-repository';
import { createProviderClient } from './providers/provider-client';
import { detectLocalProviders } from './providers/detect-local-providers';
import { providerErrorToParley } from './providers/diagnose-provider-error';
import type { ProviderRepository } from './providers/provider-repository';
import { listModelIds, testProvider } from './providers/test-provider';
import type { ChannelTurns } from './turns/channel-turns';

export type AgentMethod =
  | 'providers.list'
  | 'providers.save'
  | 'providers.delete'
  | 'providers.models'
  | 'providers.test'
  | 'providers.detectLocal'
  | 'conversations.list'
  | 'conversations.create'
  | 'conversations.rename'
  | 'conversations.delete'
  | 'conversations.messages'
  | 'agent.send'
  | 'agent.regenerate'
  | 'agent.tools.list';

export function agentHandlers(deps: {
  providers: ProviderRepository;
  conversations: ConversationRepository;
  turns: ChannelTurns;
  tools: ToolRegistry;
  publish: PublishEvent;
}): MethodHandlers<AgentMethod> {
  const { providers, conversations, turns, tools, publish: broadcast } = deps;
  return {
    'providers.list': async () => ({ providers: await providers.list() }),
    'providers.save': async (input) => ({ provider: await providers.save({ ...input, id: input.id || randomUUID().slice(0, 8) }) }),
    'providers.delete': async ({ id }) => ({ deleted: await providers.delete(id) }),
    'providers.models': async ({ id }) => {
      const provider = await providers.get(id);
      try {
        return { models: await listModelIds(await createProviderClient({ ...provider, maxRetries: 0 }, await providers.apiKey(id))) };
      } catch (error) {
        throw providerErrorToParley(error, provider);
      }
    },
    'providers.test': async ({ id, model }) => testProvider(await providers.get(id), await providers.apiKey(id), model),
    'providers.detectLocal': async () => ({ found: await detectLocalProviders() }),
    'conversations.list': async ({ search, channel }) => ({ conversations: await conversations.list({ search, channel }) }),
    'conversations.create': async ({ title }) => {
      const conversation = await conversations.create('console', title?.trim() || undefined);
      broadcast('conversations.changed', { conversationId: conversation.id });
      return { conversation };
    },
    'conversations.rename': async ({ id, title }) => {
      const conversation = await conversations.rename(id, title.trim());
      broadcast('conversations.changed', { conversationId: id });
      return { conversation };
    },
    'conversations.delete': async ({ id }) => {
      const deleted = await conversations.delete(id);
      broadcast('conversations.changed', { conversationId: id });
      return { deleted };
    },
    'conversations.messages': async ({ id }) => ({ conversation: await conversations.get(id), messages: await conversations.messages(id) }),
    'agent.send': async ({ conversationId, text, turnId }, context) => ({
      message: storedAnswer(await turns.run({ channel: 'console', conversationId, text, turnId, signal: context.signal })),
    }),
    'agent.regenerate': async ({ conversationId, turnId }, context) => ({
      message: storedAnswer(await turns.regenerate('console', conversationId, turnId, context.signal)),
    }),
    'agent.tools.list': () => ({
      tools: tools.all().map((tool) => ({ name: tool.name, description: tool.description, channels: [...tool.channels] })),
    }),
  };
}

function storedAnswer(result: TurnResult): Message {
  // The console channel's memory is stored, so its turns always return the stored answer.
  if (!result.message) throw new Error('A console turn returned no stored answer');
  return result.message;
}
