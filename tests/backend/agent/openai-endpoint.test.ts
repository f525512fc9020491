import OpenAI, { APIError } from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PARLEY_AGENT_MODEL } from '../../../backend/agent';
import { reply } from '../../support/scripted-openai-server';
import { sentMessages, startAgentFixture, type AgentFixture } from './agent-fixture';

describe('OpenAI-compatible endpoint', () => {
  let fixture: AgentFixture;
  let client: OpenAI;
  beforeEach(async () => {
    fixture = await startAgentFixture();
    client = new OpenAI({ baseURL: `${fixture.backend.url}/v1`, apiKey: fixture.backend.token, maxRetries: 0 });
  });
  afterEach(async () => fixture.close());

  /** The endpoint stores nothing: the caller owns its history. */
  async function expectNothingStored() {
    const { conversations } = await fixture.backend.call('conversations.list', {});
    expect(conversations.map((conversation) => [conversation.id, conversation.messageCount])).toEqual([[fixture.conversationId, 0]]);
  }

  it('lists the one model it serves', async () => {
    const models = [];
    for await (const model of client.models.list()) models.push(model);
    expect(models).toEqual([{ id: PARLEY_AGENT_MODEL, object: 'model', created: expect.any(Number) as unknown, owned_by: 'parley' }]);
  });

  it('answers a non-streaming request with the agent, using the caller\'s history', async () => {
    fixture.llm.enqueue(reply.text('Forty-two.'));
    const completion = await client.chat.completions.create({
      model: PARLEY_AGENT_MODEL,
      messages: [
        { role: 'user', content: 'Remember the number 42.' },
        { role: 'assistant', content: 'Noted.' },
        { role: 'user', content: 'Which number?' },
      ],
    });
    expect(completion.object).toBe('chat.completion');
    expect(completion.model).toBe(PARLEY_AGENT_MODEL);
    expect(completion.choices).toEqual([
      { index: 0, message: { role: 'assistant', content: 'Forty-two.', refusal: null }, finish_reason: 'stop', logprobs: null },
    ]);
    expect(completion.usage!.prompt_tokens).toBeGreaterThan(0);
    expect(completion.usage!.completion_tokens).toBeGreaterThan(0);
    expect(completion.usage!.total_tokens).toBe(completion.usage!.prompt_tokens + completion.usage!.completion_tokens);
    // Upstream the console model was asked, with the caller's conversation after the rules.
    expect(fixture.llm.chatRequests[0]!.body!.model).toBe('model-a');
    expect(sentMessages(fixture.llm.chatRequests[0]).slice(1)).toEqual([
      { role: 'user', content: 'Remember the number 42.' },
      { role: 'assistant', content: 'Noted.' },
      { role: 'user', content: 'Which number?' },
    ]);
    await expectNothingStored();
  });

  it('streams an answer: the chunks concatenate, the last one says stop, usage follows when asked', async () => {
    fixture.llm.enqueue(reply.chunks(['Streaming ', 'works ', 'fine.'], { chunkDelayMs: 5 }));
    const stream = await client.chat.completions.create({
      model: PARLEY_AGENT_MODEL,
      messages: [{ role: 'user', content: 'Stream please' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    const text = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe('Streaming works fine.');
    expect(chunks.filter((chunk) => (chunk.choices[0]?.delta.content ?? '') !== '').length).toBeGreaterThan(1);
    const withChoices = chunks.filter((chunk) => chunk.choices.length > 0);
    expect(withChoices[withChoices.length - 1]!.choices[0]!.finish_reason).toBe('stop');
    expect(withChoices.slice(0, -1).every((chunk) => chunk.choices[0]!.finish_reason === null)).toBe(true);
    const last = chunks[chunks.length - 1]!;
    expect(last.choices).toEqual([]);
    expect(last.usage!.completion_tokens).toBeGreaterThan(0);
    expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
    expect(chunks.every((chunk) => chunk.object === 'chat.completion.chunk' && chunk.model === PARLEY_AGENT_MODEL)).toBe(true);
    await expectNothingStored();
  });

  it('streams without a usage chunk when not asked for one', async () => {
    fixture.llm.enqueue(reply.text('No usage.'));
    const stream = await client.chat.completions.create({ model: PARLEY_AGENT_MODEL, messages: [{ role: 'user', content: 'x' }], stream: true });
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.every((chunk) => chunk.choices.length === 1 && !chunk.usage)).toBe(true);
  });

  it('runs the agent\'s tools behind the endpoint; the caller sees only the answer', async () => {
    fixture.llm.enqueue(reply.toolCall('get_current_time', { timeZone: 'UTC' }, { id: 'call_api' }), reply.text('It is 12:00 UTC (system clock).'));
    const completion = await client.chat.completions.create({ model: PARLEY_AGENT_MODEL, messages: [{ role: 'user', content: 'Time in UTC?' }] });
    expect(completion.choices[0]!.message.content).toBe('It is 12:00 UTC (system clock).');
    expect(completion.choices[0]!.message.tool_calls).toBeUndefined();
    expect(fixture.llm.chatRequests).toHaveLength(2);
    const toolMessage = fixture.llm.chatRequests[1]!.body!.messages!.find((message) => message.role === 'tool');
    expect(toolMessage).toMatchObject({ tool_call_id: 'call_api' });
    expect(JSON.parse(String(toolMessage!.content))).toMatchObject({ ok: true, source: 'system clock', data: { timeZone: 'UTC' } });
    await expectNothingStored();
  });

  it('answers 404 in OpenAI\'s error shape for another model', async () => {
    const error = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    const notFound = error as APIError;
    expect(notFound.status).toBe(404);
    expect(notFound.error).toEqual({
      message: `The model "gpt-4o" does not exist here. Use the model "${PARLEY_AGENT_MODEL}".`,
      type: 'invalid_request_error',
      param: null,
      code: 'not_found',
    });
    expect(fixture.llm.chatRequests).toHaveLength(0);
  });

  it('answers 401 to a wrong token', async () => {
    const intruder = new OpenAI({ baseURL: `${fixture.backend.url}/v1`, apiKey: 'not-the-token', maxRetries: 0 });
    const error = await intruder.chat.completions.create({ model: PARLEY_AGENT_MODEL, messages: [{ role: 'user', content: 'x' }] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((error as APIError).status).toBe(401);
    expect((error as APIError).error).toMatchObject({ type: 'authentication_error', code: 'unauthorized' });
    await expect(intruder.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    expect(fixture.llm.chatRequests).toHaveLength(0);
  });

  it('answers 400 to a malformed body, a body of the wrong shape, or a conversation not ending with the user', async () => {
    const post = (body: string) =>
      fixture.backend.fetch('/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const notJson = await post('{"model": "parley-agent", "messages": [');
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ error: { type: 'invalid_request_error', code: 'bad_request', param: null, message: expect.stringContaining('not valid JSON') as unknown } });

    const noMessages = await post(JSON.stringify({ model: PARLEY_AGENT_MODEL }));
    expect(noMessages.status).toBe(400);
    expect(await noMessages.json()).toMatchObject({ error: { type: 'invalid_request_error', code: 'invalid_params', message: expect.stringContaining('messages') as unknown } });

    const error = await client.chat.completions
      .create({ model: PARLEY_AGENT_MODEL, messages: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello' }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as APIError).message).toContain('The last message must come from the user');
    expect(fixture.llm.chatRequests).toHaveLength(0);
  });

  it('answers 503 with a clear message when the upstream model fails and no fallback is set', async () => {
    fixture.llm.enqueue(reply.error(500, 'upstream exploded'));
    const error = await client.chat.completions.create({ model: PARLEY_AGENT_MODEL, messages: [{ role: 'user', content: 'x' }] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    const apiError = error as APIError;
    expect(apiError.status).toBe(503);
    expect(apiError.error).toMatchObject({ type: 'server_error', code: 'unavailable' });
    expect((apiError.error as { message: string }).message).toContain(`Scripted (${fixture.llm.baseUrl}) failed with 500`);
    expect((apiError.error as { message: string }).message).toContain('upstream exploded');

    // The same failure on a streaming request, before any text: a proper status, not a broken stream.
    fixture.llm.enqueue(reply.error(500, 'still exploded'));
    const streamError = await client.chat.completions
      .create({ model: PARLEY_AGENT_MODEL, messages: [{ role: 'user', content: 'x' }], stream: true })
      .catch((caught: unknown) => caught);
    expect((streamError as APIError).status).toBe(503);
  });

  it('reports a failure after the stream started as an error event the client raises', async () => {
    fixture.llm.enqueue(reply.cut(['Half ', 'of it ']));
    const stream = await client.chat.completions.create({ model: PARLEY_AGENT_MODEL, messages: [{ role: 'user', content: 'x' }], stream: true });
    let text = '';
    const error = await (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    })().catch((caught: unknown) => caught);
    expect(text).toBe('Half of it ');
    expect(error).toBeInstanceOf(APIError);
    expect((error as Error).message).toContain('broke off');
  });

  it('aborts the upstream request when the client aborts mid-stream', async () => {
    const [hung] = fixture.llm.enqueue(reply.hang({ chunks: ['Still ', 'going '] }));
    const controller = new AbortController();
    const stream = await client.chat.completions.create(
      { model: PARLEY_AGENT_MODEL, messages: [{ role: 'user', content: 'Long story' }], stream: true },
      { signal: controller.signal },
    );
    let text = '';
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (text === 'Still going ') controller.abort();
    }
    expect(text).toBe('Still going ');
    expect(await hung.outcome).toBe('aborted');
    await expectNothingStored();
  });
});
