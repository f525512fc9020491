import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { ParleyError } from '#protocol';
import { parseRequestBody, type HttpRoute } from '../../server';
import { AgentTurnStopped, type AgentTurnOutcome } from '../loop/run-agent-turn';
import { chatRequestSchema, PARLEY_AGENT_MODEL, type ChatRequest } from './chat-request';
import { openAiErrorBody } from './openai-error-body';

type RunTurn = (request: ChatRequest, signal: AbortSignal, onText: (text: string) => void) => Promise<AgentTurnOutcome>;

/** `POST /v1/chat/completions` with model "parley-agent": any OpenAI client can use Parley's agent. */
export function chatCompletionsRoute(runTurn: RunTurn): HttpRoute {
  return {
    method: 'POST',
    path: '/v1/chat/completions',
    access: 'token',
    formatError: openAiErrorBody,
    async serve(_request, response, context) {
      const body = parseRequestBody(chatRequestSchema, await context.readJsonBody());
      if (body.model !== PARLEY_AGENT_MODEL) {
        throw new ParleyError('not_found', `The model "${body.model}" does not exist here`, { hint: `Use the model "${PARLEY_AGENT_MODEL}".` });
      }
      const id = `chatcmpl-${randomUUID()}`;
      const created = Math.floor(Date.now() / 1000);
      if (!body.stream) {
        const outcome = await runOrThrow(runTurn, body, context.signal, () => {});
        sendJsonBody(response, {
          id,
          object: 'chat.completion',
          created,
          model: PARLEY_AGENT_MODEL,
          choices: [{ index: 0, message: { role: 'assistant', content: outcome.text, refusal: null }, finish_reason: 'stop', logprobs: null }],
          usage: usageOf(outcome),
        });
        return;
      }
      await streamTurn(response, body, id, created, runTurn, context.signal);
    },
  };
}

async function streamTurn(response: ServerResponse, body: ChatRequest, id: string, created: number, runTurn: RunTurn, signal: AbortSignal) {
  const chunk = (delta: object, finishReason: string | null = null) => ({
    id,
    object: 'chat.completion.chunk',
    created,
    model: PARLEY_AGENT_MODEL,
    choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
  });
  const send = (payload: unknown) => response.write(`data: ${JSON.stringify(payload)}\n\n`);
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
    send(chunk({ role: 'assistant', content: '' }));
  };
  let outcome: AgentTurnOutcome;
  try {
    outcome = await runOrThrow(runTurn, body, signal, (text) => {
      start();
      send(chunk({ content: text }));
    });
  } catch (error) {
    // Before the first byte the error gets its proper status; after it, an SSE error event is all that is left.
    if (!started) throw error;
    send(openAiErrorBody(error instanceof ParleyError ? error : new ParleyError('internal', 'The answer broke off')));
    response.end();
    return;
  }
  start();
  send(chunk({}, 'stop'));
  if (body.stream_options?.include_usage) send({ id, object: 'chat.completion.chunk', created, model: PARLEY_AGENT_MODEL, choices: [], usage: usageOf(outcome) });
  response.end('data: [DONE]\n\n');
}

async function runOrThrow(runTurn: RunTurn, body: ChatRequest, signal: AbortSignal, onText: (text: string) => void): Promise<AgentTurnOutcome> {
  try {
    return await runTurn(body, signal, onText);
  } catch (error) {
    throw error instanceof AgentTurnStopped ? error.reason : error;
  }
}

function usageOf(outcome: AgentTurnOutcome) {
  const prompt = outcome.meta.promptTokens ?? 0;
  const completion = outcome.meta.completionTokens ?? 0;
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

function sendJsonBody(response: ServerResponse, body: unknown) {
  const text = JSON.stringify(body);
  response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}
