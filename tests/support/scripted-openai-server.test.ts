import OpenAI, { APIError, APIUserAbortError, AuthenticationError } from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reply, startScriptedOpenAiServer, type ScriptedOpenAiServer } from './scripted-openai-server';

let server: ScriptedOpenAiServer;

beforeEach(async () => {
  server = await startScriptedOpenAiServer({ models: ['model-a', 'model-b'] });
});

afterEach(async () => {
  await server.close();
});

function client(options: { maxRetries?: number; apiKey?: string } = {}): OpenAI {
  return new OpenAI({ baseURL: server.baseUrl, apiKey: options.apiKey ?? 'sk-test', maxRetries: options.maxRetries ?? 0 });
}

const ask = [{ role: 'user' as const, content: 'Hello?' }];

async function collect(stream: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
  const chunks: ChatCompletionChunk[] = [];
  for await (const c of stream) chunks.push(c);
  return chunks;
}

/** Reassemble streamed tool calls by index, the way a consumer of raw chunks does. */
function assembleToolCalls(chunks: ChatCompletionChunk[]): { id: string; name: string; arguments: string }[] {
  const calls: { id: string; name: string; arguments: string }[] = [];
  for (const c of chunks) {
    for (const delta of c.choices[0]?.delta.tool_calls ?? []) {
      const call = (calls[delta.index] ??= { id: '', name: '', arguments: '' });
      if (delta.id) call.id = delta.id;
      if (delta.function?.name) call.name = delta.function.name;
      call.arguments += delta.function?.arguments ?? '';
    }
  }
  return calls;
}

describe('scripted OpenAI server: answers', () => {
  it('streams scripted text chunks in order, then finish_reason and a usage chunk', async () => {
    const [handle] = server.enqueue(reply.chunks(['Hel', 'lo ', 'wor', 'ld!']));
    const stream = await client().chat.completions.create({
      model: 'model-a',
      messages: ask,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = await collect(stream);

    const pieces = chunks.map((c) => c.choices[0]?.delta.content).filter((t): t is string => !!t);
    expect(pieces).toEqual(['Hel', 'lo ', 'wor', 'ld!']);
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop');
    const usage = chunks.at(-1)?.usage;
    expect(chunks.at(-1)?.choices).toEqual([]);
    expect(usage?.completion_tokens).toBe(3); // 12 chars / 4
    expect(usage?.prompt_tokens).toBeGreaterThan(0);
    expect(usage?.total_tokens).toBe((usage?.prompt_tokens ?? 0) + (usage?.completion_tokens ?? 0));

    expect(server.chatRequests).toHaveLength(1);
    const request = server.chatRequests[0];
    expect(request?.body?.messages).toEqual(ask);
    expect(request?.body?.stream).toBe(true);
    expect(request?.headers.authorization).toBe('Bearer sk-test');
    expect(handle.request).toBe(request);
    await expect(handle.outcome).resolves.toBe('completed');
    expect(server.pendingSteps).toBe(0);
  });

  it('returns a non-streamed chat.completion with usage', async () => {
    server.enqueue(reply.text('Hi there'));
    const completion = await client().chat.completions.create({ model: 'model-a', messages: ask });
    expect(completion.object).toBe('chat.completion');
    expect(completion.model).toBe('model-a');
    expect(completion.choices[0]?.message).toMatchObject({ role: 'assistant', content: 'Hi there' });
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.usage).toMatchObject({ completion_tokens: 2, total_tokens: (completion.usage?.prompt_tokens ?? 0) + 2 });
  });

  it('echoes the last user message when the script is empty', async () => {
    const completion = await client().chat.completions.create({
      model: 'model-a',
      messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: [{ type: 'text', text: 'ping' }] }],
    });
    expect(completion.choices[0]?.message.content).toBe('ping');
  });

  it('honours time-to-first-token and per-chunk delays', async () => {
    server.enqueue(reply.chunks(['a', 'b', 'c'], { firstTokenDelayMs: 150, chunkDelayMs: 60 }));
    const started = Date.now();
    const stream = await client().chat.completions.create({ model: 'model-a', messages: ask, stream: true });
    const arrivals: number[] = [];
    for await (const c of stream) if (c.choices[0]?.delta.content) arrivals.push(Date.now() - started);
    expect(arrivals).toHaveLength(3);
    expect(arrivals[0]).toBeGreaterThanOrEqual(140);
    expect((arrivals[2] ?? 0) - (arrivals[0] ?? 0)).toBeGreaterThanOrEqual(100);
  });
});

describe('scripted OpenAI server: tool calls', () => {
  const tools = [
    { type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } },
    { type: 'function' as const, function: { name: 'get_time', parameters: { type: 'object', properties: { zone: { type: 'string' } } } } },
  ];

  it('streams one tool call the OpenAI way and the SDK stream helper reassembles it', async () => {
    server.enqueue(reply.toolCall('get_weather', { city: 'Paris' }, { id: 'call_1', argumentChunks: ['{"ci', 'ty":"Pa', 'ris"}'] }));
    const runner = client().chat.completions.stream({ model: 'model-a', messages: ask, tools });
    const raw: ChatCompletionChunk[] = [];
    runner.on('chunk', (c) => raw.push(c));
    const final = await runner.finalChatCompletion();

    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
    const call = final.choices[0]?.message.tool_calls?.[0];
    expect(call).toMatchObject({ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } });

    const deltas = raw.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(deltas[0]).toEqual({ index: 0, id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '' } });
    expect(deltas.slice(1)).toEqual(['{"ci', 'ty":"Pa', 'ris"}'].map((a) => ({ index: 0, function: { arguments: a } })));
    expect(server.chatRequests[0]?.body?.tools).toEqual(tools);
  });

  it('streams two parallel tool calls that reassemble by index', async () => {
    server.enqueue(
      reply.toolCalls([
        { name: 'get_weather', arguments: { city: 'Paris' } },
        { name: 'get_time', arguments: '{"zone":"Europe/Paris"}' },
      ]),
    );
    const stream = await client().chat.completions.create({ model: 'model-a', messages: ask, tools, stream: true });
    const chunks = await collect(stream);
    const calls = assembleToolCalls(chunks);

    expect(calls.map((c) => c.name)).toEqual(['get_weather', 'get_time']);
    expect(JSON.parse(calls[0]?.arguments ?? '')).toEqual({ city: 'Paris' });
    expect(JSON.parse(calls[1]?.arguments ?? '')).toEqual({ zone: 'Europe/Paris' });
    expect(calls[0]?.id).toMatch(/^call_/);
    expect(new Set(calls.map((c) => c.id)).size).toBe(2);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('returns tool calls in a non-streamed completion', async () => {
    server.enqueue(reply.toolCall('get_time', { zone: 'UTC' }));
    const completion = await client().chat.completions.create({ model: 'model-a', messages: ask, tools });
    const message = completion.choices[0]?.message;
    expect(message?.content).toBeNull();
    expect(message?.tool_calls?.[0]).toMatchObject({ type: 'function', function: { name: 'get_time', arguments: '{"zone":"UTC"}' } });
  });
});

describe('scripted OpenAI server: failures', () => {
  it('surfaces a scripted 500 as an APIError', async () => {
    server.enqueue(reply.error(500, 'boom'));
    const error = await client()
      .chat.completions.create({ model: 'model-a', messages: ask })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIError);
    expect(error).toMatchObject({ status: 500, type: 'server_error', error: { message: 'boom' } });
    expect(server.chatRequests).toHaveLength(1);
  });

  it('lets the SDK retry a 429 after Retry-After, then serves the next step', async () => {
    server.enqueue(reply.rateLimited(0.2), reply.text('after the wait'));
    const started = Date.now();
    const completion = await client({ maxRetries: 2 }).chat.completions.create({ model: 'model-a', messages: ask });
    expect(completion.choices[0]?.message.content).toBe('after the wait');
    expect(Date.now() - started).toBeGreaterThanOrEqual(180);
    expect(server.chatRequests).toHaveLength(2);
  });

  it('lets the SDK retry a dropped connection', async () => {
    server.enqueue(reply.disconnect(), reply.text('second try'));
    const completion = await client({ maxRetries: 1 }).chat.completions.create({ model: 'model-a', messages: ask });
    expect(completion.choices[0]?.message.content).toBe('second try');
    expect(server.chatRequests).toHaveLength(2);
  });

  it('makes stream iteration throw when the stream is cut mid-way', async () => {
    const [handle] = server.enqueue(reply.cut(['Partial ', 'answer ']));
    const stream = await client().chat.completions.create({ model: 'model-a', messages: ask, stream: true });
    const received: string[] = [];
    const iterate = async (): Promise<void> => {
      for await (const c of stream) received.push(c.choices[0]?.delta.content ?? '');
    };
    await expect(iterate()).rejects.toThrow();
    expect(received.join('')).toBe('Partial answer ');
    await expect(handle.outcome).resolves.toBe('cut');
  });

  it('makes stream iteration throw on an in-stream error event', async () => {
    server.enqueue(reply.streamError(['Some '], 'overloaded'));
    const stream = await client().chat.completions.create({ model: 'model-a', messages: ask, stream: true });
    await expect(collect(stream)).rejects.toThrow(/overloaded/);
  });

  it('rejects promptly when a hung request is aborted, and keeps serving', async () => {
    const [handle] = server.enqueue(reply.hang());
    const controller = new AbortController();
    const pending = client().chat.completions.create({ model: 'model-a', messages: ask, stream: true }, { signal: controller.signal });
    const settled = pending.catch((e: unknown) => e);
    await handle.served;
    const abortedAt = Date.now();
    controller.abort();
    expect(await settled).toBeInstanceOf(APIUserAbortError);
    expect(Date.now() - abortedAt).toBeLessThan(1_000);
    await expect(handle.outcome).resolves.toBe('aborted');

    const next = await client().chat.completions.create({ model: 'model-a', messages: [{ role: 'user', content: 'still there?' }] });
    expect(next.choices[0]?.message.content).toBe('still there?');
  });

  it('closes with a request still hanging', async () => {
    const [handle] = server.enqueue(reply.hang({ chunks: ['stalled '] }));
    const stream = await client().chat.completions.create({ model: 'model-a', messages: ask, stream: true });
    const iteration = collect(stream).catch((e: unknown) => e);
    await server.close();
    await expect(handle.outcome).resolves.toBe('aborted');
    expect(await iteration).toBeInstanceOf(Error);
  });
});

describe('scripted OpenAI server: routing, models, auth', () => {
  it('serves steps only to requests for their model', async () => {
    server.enqueue(reply.error(503, 'provider A down', { model: 'model-a' }), reply.text('from B', { model: 'model-b' }));
    const fromB = await client().chat.completions.create({ model: 'model-b', messages: ask });
    expect(fromB.choices[0]?.message.content).toBe('from B');
    await expect(client().chat.completions.create({ model: 'model-a', messages: ask })).rejects.toMatchObject({ status: 503 });
    expect(server.chatRequests.map((r) => r.body?.model)).toEqual(['model-b', 'model-a']);
  });

  it('answers a non-retried 500 when the script is empty and whenEmpty is "error"', async () => {
    const strict = await startScriptedOpenAiServer({ whenEmpty: 'error' });
    try {
      const c = new OpenAI({ baseURL: strict.baseUrl, apiKey: 'sk-test', maxRetries: 2 });
      await expect(c.chat.completions.create({ model: 'x', messages: ask })).rejects.toMatchObject({ status: 500 });
      expect(strict.chatRequests).toHaveLength(1);
    } finally {
      await strict.close();
    }
  });

  it('lists the configured models', async () => {
    const ids: string[] = [];
    for await (const model of client().models.list()) ids.push(model.id);
    expect(ids).toEqual(['model-a', 'model-b']);

    server.setModels(['gpt-x']);
    const page = await client().models.list();
    expect(page.data.map((m) => m.id)).toEqual(['gpt-x']);
    expect(server.requests.every((r) => r.method === 'GET' && r.path === '/v1/models')).toBe(true);
  });

  it('rejects a wrong API key with 401 in OpenAI error shape', async () => {
    server.setApiKey('sk-right');
    const error = await client({ apiKey: 'sk-wrong-key-123' })
      .chat.completions.create({ model: 'model-a', messages: ask })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 401, code: 'invalid_api_key', type: 'invalid_request_error' });

    const ok = await client({ apiKey: 'sk-right' }).chat.completions.create({ model: 'model-a', messages: ask });
    expect(ok.choices[0]?.message.content).toBe('Hello?');
  });

  it('waits for chat requests made elsewhere', async () => {
    const waiting = server.waitForChatRequests(1, 2_000);
    void client().chat.completions.create({ model: 'model-a', messages: ask });
    const [request] = await waiting;
    expect(request?.body?.model).toBe('model-a');
  });
});

describe('scripted OpenAI server: embeddings', () => {
  const cosine = (a: number[], b: number[]) => a.reduce((sum, value, i) => sum + value * b[i]!, 0);

  it('answers /v1/embeddings with deterministic unit vectors, near for shared word stems and apart otherwise', async () => {
    const input = ['Every boiler carries a warranty of seven years', 'boiler warranties', 'submarine periscope'];
    const first = await client().embeddings.create({ model: 'embed', input, encoding_format: 'float' });
    expect(first.data.map((item) => item.index)).toEqual([0, 1, 2]);
    const [passage, related, unrelated] = first.data.map((item) => item.embedding) as [number[], number[], number[]];
    expect(passage).toHaveLength(256);
    expect(cosine(passage, passage)).toBeCloseTo(1, 5);
    expect(cosine(passage, related)).toBeGreaterThan(0.4);
    expect(Math.abs(cosine(passage, unrelated))).toBeLessThan(0.2);
    // The SDK's default (base64) decodes to the same vectors; `dimensions` is honoured.
    const again = await client().embeddings.create({ model: 'embed', input: input[0]! });
    expect(again.data[0]!.embedding[3]).toBeCloseTo(passage[3]!, 5);
    expect((await client().embeddings.create({ model: 'embed', input: 'x', dimensions: 64, encoding_format: 'float' })).data[0]!.embedding).toHaveLength(64);
    expect(server.requests.filter((request) => request.path === '/v1/embeddings')).toHaveLength(3);
  });

  it('refuses a request without input the OpenAI way', async () => {
    await expect(client().embeddings.create({ model: 'embed' } as never)).rejects.toMatchObject({ status: 400 });
  });
});
