import type { BroadcastEvent, MethodHandlers } from '#protocol';
import type { HttpRoute } from '../server';
import type { AppStore } from '../store';
import { agentHandlers, type AgentMethod } from './agent-handlers';
import { runApiTurn } from './api-turns';
import { ConsoleTurns } from './console-turns';
import { ConversationRepository } from './conversations/conversation-repository';
import { chatCompletionsRoute } from './openai-endpoint/chat-completions-route';
import { modelsRoute } from './openai-endpoint/models-route';
import { applyEnvironmentProvider } from './providers/environment-provider';
import { ProviderRepository } from './providers/provider-repository';
import { currentTimeTool } from './tools/current-time-tool';
import { ToolRegistry } from './tools/tool-registry';

export { agentMigrations } from './migrations';
export type { ConsoleTurns } from './console-turns';
export { ToolRegistry, type AgentTool, type ToolContext, type ToolOutput, type JsonSchemaObject } from './tools/tool-registry';
export { runAgentTurn, AgentTurnStopped, type ModelCandidate, type TurnObserver, type AgentTurnOutcome } from './loop/run-agent-turn';
export { PARLEY_AGENT_MODEL } from './openai-endpoint/chat-request';
export { openAiErrorBody } from './openai-endpoint/openai-error-body';
export { GROUNDING_RULES } from './loop/grounding';
export { fitToBudget } from './context/fit-to-budget';
export { createTokenCounter } from './context/token-counter';

export interface Agent {
  /** Later capabilities register their tools here (database queries, document search, handoff). */
  tools: ToolRegistry;
  handlers: MethodHandlers<AgentMethod>;
  routes: HttpRoute[];
  providers: ProviderRepository;
  conversations: ConversationRepository;
  /** The console's turns; the voice loop runs its turns through them too. */
  turns: ConsoleTurns;
}

/** The agent every channel talks to; needs the store migrated with `agentMigrations`. */
export async function createAgent(store: AppStore, broadcast: BroadcastEvent, env: NodeJS.ProcessEnv): Promise<Agent> {
  const providers = new ProviderRepository(store.knex, store.secrets);
  const conversations = new ConversationRepository(store.knex);
  const tools = new ToolRegistry();
  tools.register(currentTimeTool);
  await applyEnvironmentProvider(env, providers, async (ref) => {
    if (!(await store.settings.get('agent.console.model'))) await store.settings.set('agent.console.model', ref);
  });
  const turns = new ConsoleTurns({ conversations, providers, settings: store.settings, registry: tools, broadcast });
  const apiDeps = { settings: store.settings, providers, registry: tools };
  return {
    tools,
    providers,
    conversations,
    turns,
    handlers: agentHandlers({ providers, conversations, turns, broadcast }),
    routes: [chatCompletionsRoute((request, signal, onText) => runApiTurn(request, apiDeps, signal, onText)), modelsRoute()],
  };
}
