import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';

/** Always first in the system prompt, whatever the channel's own prompt says. */
export const GROUNDING_RULES = [
  'You are Parley, an assistant that answers operators and customers.',
  'When a tool returned data, build the answer on that data only and say where it came from (the tool or source named in its result).',
  'When a tool failed or found nothing, say so plainly and, if useful, what the user can do; never invent rows, quotes, figures, dates or names to fill the gap.',
  'If you do not know and no tool can tell you, say that you do not know.',
].join('\n');

const MAX_TOOL_RESULT_CHARS = 16_000;

export function systemMessages(channelPrompt: string): ChatCompletionMessageParam[] {
  const prompt = channelPrompt.trim() ? `${GROUNDING_RULES}\n\n${channelPrompt.trim()}` : GROUNDING_RULES;
  return [{ role: 'system', content: prompt }];
}

export type ToolOutcome =
  | { kind: 'data'; data: unknown; source: string }
  | { kind: 'empty'; source: string }
  | { kind: 'failed'; error: string };

/**
 * What the model reads back from a tool. Failures and empty results carry an explicit
 * instruction, so the model is told in the same message not to make something up.
 */
export function toolResultContent(outcome: ToolOutcome): string {
  let text: string;
  if (outcome.kind === 'failed') {
    text = JSON.stringify({ ok: false, error: outcome.error, instruction: 'This lookup failed. Tell the user it failed and why; do not guess the answer.' });
  } else if (outcome.kind === 'empty') {
    text = JSON.stringify({ ok: true, data: null, source: outcome.source, instruction: 'Nothing was found. Tell the user so; do not invent results.' });
  } else {
    text = JSON.stringify({ ok: true, source: outcome.source, data: outcome.data });
  }
  if (text.length <= MAX_TOOL_RESULT_CHARS) return text;
  return JSON.stringify({
    ok: outcome.kind !== 'failed',
    truncated: true,
    instruction: `The result was cut to ${MAX_TOOL_RESULT_CHARS} characters; say the answer may be incomplete.`,
    partial: text.slice(0, MAX_TOOL_RESULT_CHARS),
  });
}

export function isEmptyData(data: unknown): boolean {
  if (data === null || data === undefined || data === '') return true;
  if (Array.isArray(data)) return data.length === 0;
  if (typeof data === 'object') return Object.keys(data).length === 0;
  return false;
}
