import OpenAI from 'openai';
import { startServerProcess } from '../support/server-process';
import { reply, startScriptedOpenAiServer } from '../support/scripted-openai-server';
import { connectParleySocket } from '../support/backend-harness';
import { percentile, type BenchRow } from './bench-table';
import { topics } from '#protocol';

const TURNS = 200;
const WARMUP = 10;
const FIRST_TOKEN_DELAY_MS = 50;
const ANSWER = 'Sure, here is the answer you asked for, in a handful of words.';

/**
 * What Parley adds to time to first token: a console turn over the socket (store the message,
 * build the context from a growing conversation, call the provider through the SDK, publish the
 * first delta), minus the scripted server's own delay. Baseline: the bare SDK streaming the same
 * reply from the same server, minus the same delay.
 */
export async function benchAgentOverhead(): Promise<BenchRow[]> {
  const llm = await startScriptedOpenAiServer({ models: ['bench-model'], whenEmpty: reply.text(ANSWER, { firstTokenDelayMs: FIRST_TOKEN_DELAY_MS }) });
  const direct = await measureDirectSdk(llm.baseUrl);
  const server = await startServerProcess({ env: { PARLEY_LOG_LEVEL: 'warn', PARLEY_LLM_BASE_URL: llm.baseUrl, PARLEY_LLM_MODEL: 'bench-model' } });
  try {
    const socket = await connectParleySocket(`${server.url.replace('http', 'ws')}/ws`, server.token);
    await socket.waitForEvent('system.hello');
    const { conversation } = await socket.call('conversations.create', {});
    // As the Conversation panel does: the turn's events come to sockets subscribed to its conversation.
    await socket.call('events.subscribe', { topics: [topics.conversation(conversation.id)] });
    const samples: number[] = [];
    for (let turn = 0; turn < WARMUP + TURNS; turn++) {
      const turnId = `bench-${turn}`;
      const started = performance.now();
      const firstDelta = socket.waitForFrame((frame) => frame.kind === 'event' && frame.event === 'agent.turn.delta' && (frame.data as { turnId: string }).turnId === turnId, 'first delta', 10_000);
      const answered = socket.call('agent.send', { conversationId: conversation.id, text: `Question number ${turn}?`, turnId });
      await firstDelta;
      if (turn >= WARMUP) samples.push(performance.now() - started - FIRST_TOKEN_DELAY_MS);
      await answered;
    }
    await socket.close();
    return (['p50', 'p99'] as const).map((label) => ({
      name: `agent overhead to first token ${label} (${TURNS} turns)`,
      value: percentile(samples, label === 'p50' ? 50 : 99),
      unit: 'ms',
      baselineName: 'bare openai SDK',
      baseline: percentile(direct, label === 'p50' ? 50 : 99),
      goal: label === 'p50' ? '< 20 ms' : undefined,
    }));
  } finally {
    await server.stop();
    await llm.close();
  }
}

async function measureDirectSdk(baseURL: string): Promise<number[]> {
  const client = new OpenAI({ baseURL, apiKey: 'bench', maxRetries: 0 });
  const samples: number[] = [];
  for (let turn = 0; turn < WARMUP + TURNS; turn++) {
    const started = performance.now();
    const stream = await client.chat.completions.create({ model: 'bench-model', messages: [{ role: 'user', content: 'hi' }], stream: true });
    let first: number | undefined;
    for await (const chunk of stream) {
      if (first === undefined && chunk.choices[0]?.delta?.content) first = performance.now() - started - FIRST_TOKEN_DELAY_MS;
    }
    if (turn >= WARMUP && first !== undefined) samples.push(first);
  }
  return samples;
}
