import type { Channel, ToolCall, ToolResult } from '#protocol';
import type { ToolRegistry } from '../tools/tool-registry';
import { isEmptyData, toolResultContent, type ToolOutcome } from './grounding';

const DEFAULT_TOOL_TIMEOUT_MS = 30_000;

export interface ExecutedTool {
  result: ToolResult;
  outcome: ToolOutcome;
}

/** Runs the model's tool calls in parallel; every failure becomes a result the model reads, never a thrown error. */
export function executeToolCalls(
  calls: ToolCall[],
  registry: ToolRegistry,
  context: { channel: Channel; conversationId: string | undefined; signal: AbortSignal },
): Promise<ExecutedTool[]> {
  return Promise.all(calls.map((call) => executeToolCall(call, registry, context)));
}

async function executeToolCall(
  call: ToolCall,
  registry: ToolRegistry,
  context: { channel: Channel; conversationId: string | undefined; signal: AbortSignal },
): Promise<ExecutedTool> {
  const started = performance.now();
  const outcome = await runTool(call, registry, context);
  const result: ToolResult = {
    callId: call.id,
    name: call.name,
    ok: outcome.kind !== 'failed',
    content: toolResultContent(outcome),
    ms: Math.round(performance.now() - started),
  };
  return { result, outcome };
}

async function runTool(
  call: ToolCall,
  registry: ToolRegistry,
  context: { channel: Channel; conversationId: string | undefined; signal: AbortSignal },
): Promise<ToolOutcome> {
  const tool = registry.find(call.name, context.channel);
  if (!tool) return { kind: 'failed', error: `No tool named "${call.name}" is available here` };
  let args: Record<string, unknown>;
  try {
    const parsed: unknown = call.arguments.trim() ? JSON.parse(call.arguments) : {};
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    args = parsed as Record<string, unknown>;
  } catch {
    return { kind: 'failed', error: `The arguments for ${call.name} are not a valid JSON object: ${call.arguments.slice(0, 200)}` };
  }
  const timeoutMs = tool.timeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS;
  const signal = AbortSignal.any([context.signal, AbortSignal.timeout(timeoutMs)]);
  try {
    const output = await new Promise<Awaited<ReturnType<typeof tool.execute>>>((resolve, reject) => {
      const onAbort = () => reject(signal.reason instanceof Error && signal.reason.name === 'TimeoutError' ? new Error(`${call.name} took longer than ${timeoutMs / 1000} s`) : new Error('cancelled'));
      signal.addEventListener('abort', onAbort, { once: true });
      tool
        .execute(args, { channel: context.channel, conversationId: context.conversationId, signal })
        .then(resolve, reject)
        .finally(() => signal.removeEventListener('abort', onAbort));
    });
    const source = output.source ?? call.name;
    return isEmptyData(output.data) ? { kind: 'empty', source } : { kind: 'data', data: output.data, source };
  } catch (error) {
    return { kind: 'failed', error: error instanceof Error ? error.message : String(error) };
  }
}
