import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { ParleyError } from '#protocol';
import { createSseWriter, parseRequestBody, sendJson, type HttpRoute } from '../../platform/http';
import { chatCompletion, chatCompletionChunk, chatUsageChunk, openAiErrorBody, tokenUsage, type CompletionIdentity } from '../../platform/openai-compat';
import type { TurnResult, TurnRunner } from '../../platform/turns';
import { callerTurn } from './caller-turn';
import { chatRequestSchema, PARLEY_AGENT_MODEL, type ChatRequest } from './chat-request';

/** `POST /v1/chat/completions` with model "parley-agent": any OpenAI client can use Parley's agent. */
export function chatCompletionsRoute(turns: TurnRunner): HttpRoute {
  return {
    method: 'POST',
    path: '/v1/chat/completions',
    exposure: 'control',
    formatError: openAiErrorBody,
    async serve(_request, response, context) {
      const body = parseRequestBody(chatRequestSchema, await context.readJsonBody());
      if (body.model !== PARLEY_AGENT_MODEL) {
        throw new ParleyError('not_found', `The model "${body.model}" does not exist here`, { hint: `Use the model "${PARLEY_AGENT_MODEL}".` });
      }
      const identity: CompletionIdentity = { id: `chatcmpl-${randomUUID()}`, created: Math.floor(Date.now() / 1000), model: PARLEY_AGENT_MODEL };
      if (!body.stream) {
        const result = await turns.run(callerTurn(body, context.signal, () => {}));
        sendJson(response, 200, chatCompletion(identity, result.text, usageOf(result)));
        return;
      }
      await streamTurn(response, body, identity, turns, context.signal);
    },
  };
}

async function streamTurn(response: ServerResponse, body: ChatRequest, identity: CompletionIdentity, turns: TurnRunner, signal: AbortSignal) {
  const sse = createSseWriter(response);
  const start = () => {
    if (!sse.started) sse.send(chatCompletionChunk(identity, { role: 'assistant', content: '' }));
  };
  let result: TurnResult;
  try {
    result = await turns.run(
      callerTurn(body, signal, (text) => {
        start();
        sse.send(chatCompletionChunk(identity, { content: text }));
      }),
    );
  } catch (error) {
    // Before the first byte the error gets its proper status; after it, an SSE error event is all that is left.
    if (!sse.started) throw error;
    sse.send(openAiErrorBody(error instanceof ParleyError ? error : new ParleyError('internal', 'The answer broke off')));
    sse.end();
    return;
  }
  start();
  sse.send(chatCompletionChunk(identity, {}, 'stop'));
  if (body.stream_options?.include_usage) sse.send(chatUsageChunk(identity, usageOf(result)));
  sse.end('[DONE]');
}

function usageOf(result: TurnResult) {
  return tokenUsage(result.meta.promptTokens, result.meta.completionTokens);
}
