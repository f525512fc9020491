import type { CapabilityContext, CapabilityFactory } from '../platform/capability';
import type { PublishEvent } from '../platform/events';
import type { BackendMetrics } from '../platform/observability';
import type { ToolRegistry } from '../platform/tools';
import { loadOpenAiSdk } from '../platform/openai-compat';
import type { AppStore } from '../store';
import { agentHandlers } from './agent-handlers';
import { ConversationRepository } from './conversations/conversation-repository';
import { agentMigrations } from './migrations';
import { chatCompletionsRoute } from './openai-endpoint/chat-completions-route';
import { modelsRoute } from './openai-endpoint/models-route';
import { applyEnvironmentProvider } from './providers/environment-provider';
import { providerHealth } from './providers/provider-health';
import { ProviderRepository } from './providers/provider-repository';
import { loadTokenizer } from './context/token-counter';
import { currentTimeTool } from './tools/current-time-tool';
import { ChannelTurns } from './turns/channel-turns';

export { agentMigrations } from './migrations';
export type { ChannelTurns } from './turns/channel-turns';
export { runAgentTurn, AgentTurnStopped, type ModelCandidate, type TurnObserver, type AgentTurnOutcome } from './loop/run-agent-turn';
export { PARLEY_AGENT_MODEL } from './openai-endpoint/chat-request';
export { GROUNDING_RULES } from './loop/grounding';
export { fitToBudget } from './context/fit-to-budget';
export { createTokenCounter, loadTokenizer } from './context/token-counter';

/** The agent's parts other capabilities reach through the platform: the turn runner above all. */
export interface AgentRuntime {
  turns: ChannelTurns;
  providers: ProviderRepository;
  conversations: ConversationRepository;
  /** A provider's address and key, for capabilities that call its other endpoints (speech, embeddings). */
  resolveProvider(providerId: string): Promise<ProviderAccess>;
}

export interface ProviderAccess {
  baseUrl: string;
  apiKey: string | undefined;
  headers: Record<string, string>;
}

/**
 * The agent every channel talks to. Built before the other capabilities because its turn runner
 * is part of their context (`context.turns`); its tables exist once `agentMigrations` ran.
 */
export function createAgentRuntime(platform: { store: AppStore; tools: ToolRegistry; publish: PublishEvent; metrics?: BackendMetrics }): AgentRuntime {
  const providers = new ProviderRepository(platform.store.knex, platform.store.secrets);
  const conversations = new ConversationRepository(platform.store.knex);
  const turns = new ChannelTurns({
    conversations,
    providers,
    settings: platform.store.settings,
    tools: platform.tools,
    publish: platform.publish,
    observeStage: platform.metrics ? (stage, ms, outcome) => platform.metrics!.observeStage(stage, ms, outcome) : undefined,
  });
  const resolveProvider = async (providerId: string): Promise<ProviderAccess> => {
    const provider = await providers.get(providerId);
    return { baseUrl: provider.baseUrl, apiKey: await providers.apiKey(providerId), headers: provider.extraHeaders };
  };
  return { turns, providers, conversations, resolveProvider };
}

/** Providers, conversations, the console's turns, the OpenAI-compatible endpoint and the built-in tools. */
export function agentCapability(runtime: AgentRuntime): CapabilityFactory {
  return (context: CapabilityContext) => ({
    id: 'agent',
    migrations: agentMigrations,
    methods: agentHandlers({ ...runtime, tools: context.tools, publish: context.events.publish }),
    routes: [chatCompletionsRoute(runtime.turns), modelsRoute()],
    tools: [currentTimeTool],
    async start() {
      // One health entry per provider (`llm:<id>`): providers come and go, so they are checked as a group.
      context.health.registerGroup('llm', () => providerHealth(runtime.providers, context.settings));
      await applyEnvironmentProvider(context.environment, runtime.providers, async (ref) => {
        if (!(await context.settings.get('agent.console.model'))) await context.settings.set('agent.console.model', ref);
      });
    },
    serving() {
      // Loaded after the start so the first turn does not pay for them either.
      void loadTokenizer();
      void loadOpenAiSdk();
    },
  });
}
