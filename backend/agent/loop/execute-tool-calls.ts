import type { Channel, ToolCall, ToolResult } from '#protocol';
import { isTimeoutReason, raceAbort } from '../../base';
import type { AgentTool } from '../../platform/tools';
import { isEmptyData, toolResultContent, type ToolOutcome } from './grounding';

const DEFAULT_TOOL_TIMEOUT_MS = 30_000;

export interface ExecutedTool {
  result: ToolResult;
  outcome: ToolOutcome;
}

/** Runs the model's tool calls in parallel; every failure becomes a result the model reads, never a thrown error. */
export function executeToolCalls(
  calls: ToolCall[],
  tools: readonly AgentTool[],
  context: { channel: Channel; conversationId: string | undefined; signal: AbortSignal },
): Promise<ExecutedTool[]> {
  return Promise.all(calls.map((call) => executeToolCall(call, tools, context)));
}

async function executeToolCall(
  call: ToolCall,
  tools: readonly AgentTool[],
  context: { channel: Channel; conversationId: string | undefined; signal: AbortSignal },
): Promise<ExecutedTool> {
  const started = performance.now();
  const outcome = await runTool(call, tools, context);
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
  tools: readonly AgentTool[],
  context: { channel: Channel; conversationId: string | undefined; signal: AbortSignal },
): Promise<ToolOutcome> {
  const tool = tools.find((candidate) => candidate.name === call.name);
  if (!tool) return { kind: 'failed', error: `No tool named "${call.name}" is available here` };
  let args: unknown;
  try {
    args = call.arguments.trim() ? JSON.parse(call.arguments) : {};
    if (typeof args !== 'object' || args === null || Array.isArray(args)) throw new Error('not an object');
  } catch {
    return { kind: 'failed', error: `The arguments for ${call.name} are not a valid JSON object: ${call.arguments.slice(0, 200)}` };
  }
  const timeoutMs = tool.timeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS;
  const signal = AbortSignal.any([context.signal, AbortSignal.timeout(timeoutMs)]);
  try {
    const output = await raceAbort(tool.call(args, { channel: context.channel, conversationId: context.conversationId, signal }), signal, (reason) =>
      isTimeoutReason(reason) ? new Error(`${call.name} took longer than ${timeoutMs / 1000} s`) : new Error('cancelled'),
    );
    const source = output.source ?? call.name;
    return isEmptyData(output.data) ? { kind: 'empty', source } : { kind: 'data', data: output.data, source };
  } catch (error) {
    return { kind: 'failed', error: error instanceof Error ? error.message : String(error) };
  }
}
