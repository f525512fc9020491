import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { ParleyError, type AnswerMeta, type Channel, type Provider, type ToolCall, type ToolResult } from '#protocol';
import { fitToBudget } from '../context/fit-to-budget';
import { createTokenCounter, loadTokenizer } from '../context/token-counter';
import { createProviderClient } from '../providers/provider-client';
import { isAbortError } from '../../base';
import type { AgentTool } from '../../platform/tools';
import { diagnoseProviderError } from '../providers/diagnose-provider-error';
import { executeToolCalls } from './execute-tool-calls';
import { streamCompletion } from './stream-completion';

export interface ModelCandidate {
  provider: Provider;
  apiKey: string | undefined;
  model: string;
  /** Tokens of context this model may be given. */
  contextBudget: number;
}

/** How a running turn reports progress (the console turns these into socket events). */
export interface TurnObserver {
  onModel(candidate: ModelCandidate, fallbackFrom: ModelCandidate | undefined): void;
  onText(text: string): void;
  onToolCall(call: ToolCall): void;
  onToolResult(result: ToolResult): void;
}

export interface AgentTurnRequest {
  channel: Channel;
  conversationId: string | undefined;
  system: ChatCompletionMessageParam[];
  history: ChatCompletionMessageParam[];
  userMessage: ChatCompletionMessageParam;
  candidates: ModelCandidate[];
  /** The tools this channel may use, as its config allows: the model is offered these and only these run. */
  tools: AgentTool[];
  maxSteps: number;
  signal: AbortSignal;
  observer: TurnObserver;
}

/** A model round that asked for tools, with what the tools answered. */
export interface ToolRound {
  text: string;
  calls: ToolCall[];
  results: ToolResult[];
}

export interface AgentTurnOutcome {
  text: string;
  toolRounds: ToolRound[];
  meta: AnswerMeta;
}

/** Thrown when the turn stops; `partialText` is what the user already saw of the answer. */
export class AgentTurnStopped extends Error {
  constructor(
    readonly reason: ParleyError,
    readonly partialText: string,
  ) {
    super(reason.message);
  }
}

/**
 * One agent turn: stream the model, run the tools it asks for (in parallel), feed the results
 * back, until it answers or the step cap is reached. A provider failure moves the whole turn to
 * the next model of the fallback list; cancellation stops everything at once.
 */
export async function runAgentTurn(request: AgentTurnRequest): Promise<AgentTurnOutcome> {
  if (request.candidates.length === 0) {
    throw new AgentTurnStopped(new ParleyError('unavailable', 'No chat model is chosen for this channel', { hint: 'Pick one in the Models panel.' }), '');
  }
  const started = performance.now();
  const fallbacks: AnswerMeta['fallbacks'] = [];
  let previous: ModelCandidate | undefined;
  let partialText = '';
  for (const [index, candidate] of request.candidates.entries()) {
    request.observer.onModel(candidate, previous);
    previous = candidate;
    partialText = '';
    try {
      const outcome = await runWithModel(request, candidate, started, (text) => (partialText += text));
      return { ...outcome, meta: { ...outcome.meta, fallbacks } };
    } catch (error) {
      if (request.signal.aborted || isAbortError(error)) {
        throw new AgentTurnStopped(new ParleyError('cancelled', 'The answer was stopped'), partialText);
      }
      if (error instanceof ParleyError) throw new AgentTurnStopped(error, partialText);
      const diagnosis = diagnoseProviderError(error, candidate.provider, candidate.model);
      fallbacks.push({ providerId: candidate.provider.id, model: candidate.model, error: diagnosis.message });
      const isLast = index === request.candidates.length - 1;
      if (!diagnosis.fallbackWorthy || isLast) {
        const tried = fallbacks.length > 1 ? ` (tried ${fallbacks.map((entry) => entry.model).join(', ')})` : '';
        throw new AgentTurnStopped(
          new ParleyError('unavailable', `${diagnosis.message}${tried}`, { hint: diagnosis.hint, details: { problem: diagnosis.problem, fallbacks } }),
          partialText,
        );
      }
    }
  }
  throw new Error('unreachable: the loop returns or throws');
}

async function runWithModel(
  request: AgentTurnRequest,
  candidate: ModelCandidate,
  started: number,
  collectText: (text: string) => void,
): Promise<Omit<AgentTurnOutcome, 'meta'> & { meta: AnswerMeta }> {
  const client = await createProviderClient(candidate.provider, candidate.apiKey);
  const count = await createTokenCounter(candidate.provider.kind);
  const toolParams = request.tools.map(toToolParam);
  // Tool definitions travel with every request and take their share of the context.
  const toolTokens = toolParams.length > 0 ? (await loadTokenizer())(JSON.stringify(toolParams)) : 0;
  const turnMessages: ChatCompletionMessageParam[] = [request.userMessage];
  const toolRounds: ToolRound[] = [];
  const sources = new Set<string>();
  const toolFailures = new Set<string>();
  let text = '';
  let promptTokens = 0;
  let completionTokens = 0;
  let timeToFirstTokenMs: number | undefined;

  for (let step = 0; step < request.maxSteps; step++) {
    const isLastStep = step === request.maxSteps - 1;
    const window = fitToBudget(request.system, request.history, turnMessages, candidate.contextBudget, count, toolTokens);
    const completion = await streamCompletion(
      client,
      {
        model: candidate.model,
        messages: window.messages,
        ...(toolParams.length > 0 ? { tools: toolParams, tool_choice: isLastStep ? 'none' : 'auto' } : {}),
      },
      {
        signal: request.signal,
        idleTimeoutMs: candidate.provider.timeoutMs,
        onFirstToken: () => (timeToFirstTokenMs ??= Math.round(performance.now() - started)),
        onText: (delta) => {
          collectText(delta);
          request.observer.onText(delta);
        },
      },
    );
    promptTokens += completion.promptTokens ?? window.tokens;
    completionTokens += completion.completionTokens ?? 0;
    text += completion.text;
    if (completion.toolCalls.length === 0) break;
    if (isLastStep) {
      // The model still wants tools although told to answer: say so rather than end silently.
      const note = `${text ? '\n\n' : ''}(I stopped after ${request.maxSteps} steps without a complete answer.)`;
      text += note;
      request.observer.onText(note);
      break;
    }

    for (const call of completion.toolCalls) request.observer.onToolCall(call);
    const executed = await executeToolCalls(completion.toolCalls, request.tools, {
      channel: request.channel,
      conversationId: request.conversationId,
      signal: request.signal,
    });
    if (request.signal.aborted) throw new ParleyError('cancelled', 'The answer was stopped');
    for (const { result, outcome } of executed) {
      request.observer.onToolResult(result);
      if (outcome.kind === 'data') sources.add(outcome.source);
      else toolFailures.add(result.name);
    }
    toolRounds.push({ text: completion.text, calls: completion.toolCalls, results: executed.map((entry) => entry.result) });
    turnMessages.push(
      {
        role: 'assistant',
        content: completion.text || null,
        tool_calls: completion.toolCalls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } })),
      },
      ...executed.map(({ result }): ChatCompletionMessageParam => ({ role: 'tool', tool_call_id: result.callId, content: result.content })),
    );
  }

  return {
    text,
    toolRounds,
    meta: {
      providerId: candidate.provider.id,
      model: candidate.model,
      fallbacks: [],
      promptTokens,
      completionTokens,
      timeToFirstTokenMs,
      totalMs: Math.round(performance.now() - started),
      sources: [...sources],
      toolFailures: [...toolFailures],
    },
  };
}

function toToolParam(tool: AgentTool): ChatCompletionTool {
  return { type: 'function', function: { name: tool.name, description: tool.description, parameters: tool.parameters } };
}
