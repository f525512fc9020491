import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { ParleyError } from '#protocol';
import type { SettingsRepository } from '../store';
import { systemMessages } from './loop/grounding';
import { runAgentTurn, type AgentTurnOutcome, type TurnObserver } from './loop/run-agent-turn';
import { resolveModelCandidates } from './model-candidates';
import type { ChatRequest } from './openai-endpoint/chat-request';
import type { ProviderRepository } from './providers/provider-repository';
import type { ToolRegistry } from './tools/tool-registry';

/**
 * A turn for the OpenAI-compatible endpoint: the caller sends the whole conversation, Parley's
 * agent (console model, tools allowed on the "api" channel, grounding rules) answers it. Nothing
 * is stored: the caller owns its history.
 */
export async function runApiTurn(
  request: ChatRequest,
  deps: { settings: SettingsRepository; providers: ProviderRepository; registry: ToolRegistry },
  signal: AbortSignal,
  onText: (text: string) => void,
): Promise<AgentTurnOutcome> {
  const messages = request.messages;
  const last = messages[messages.length - 1]!;
  if (last.role !== 'user') {
    throw new ParleyError('invalid_params', 'The last message must come from the user');
  }
  const callerSystem = messages
    .filter((message) => message.role === 'system' || message.role === 'developer')
    .map((message) => message.content ?? '')
    .join('\n\n');
  const history: ChatCompletionMessageParam[] = [];
  for (const message of messages.slice(0, -1)) {
    // The caller's own tool exchanges are not Parley's to replay; their text is what matters.
    if (message.role === 'user') history.push({ role: 'user', content: message.content ?? '' });
    else if (message.role === 'assistant' && message.content) history.push({ role: 'assistant', content: message.content });
  }
  const settings = await deps.settings.getAll();
  const observer: TurnObserver = { onModel: () => {}, onText, onToolCall: () => {}, onToolResult: () => {} };
  return runAgentTurn({
    channel: 'api',
    conversationId: undefined,
    system: systemMessages([settings['agent.console.systemPrompt'], callerSystem].filter(Boolean).join('\n\n')),
    history,
    userMessage: { role: 'user', content: last.content ?? '' },
    candidates: await resolveModelCandidates('api', settings, deps.providers),
    registry: deps.registry,
    maxSteps: settings['agent.maxSteps'],
    signal,
    observer,
  });
}
