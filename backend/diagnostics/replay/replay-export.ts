import type { ReplayResult, ReplayRun } from '#protocol';

const COLUMNS: Array<[string, (result: ReplayResult) => string | number | boolean | null]> = [
  ['conversation_id', (r) => r.conversationId],
  ['conversation_title', (r) => r.conversationTitle],
  ['turn', (r) => r.turnIndex + 1],
  ['user_text', (r) => r.userText],
  ['original_model', (r) => r.original.model],
  ['original_answer', (r) => r.original.text],
  ['original_tools', (r) => r.original.tools.join(' ')],
  ['original_sources', (r) => r.original.sources.join(' | ')],
  ['original_total_ms', (r) => r.original.totalMs],
  ['original_first_token_ms', (r) => r.original.firstTokenMs],
  ['replay_model', (r) => r.replay.model],
  ['replay_answer', (r) => r.replay.text],
  ['replay_tools', (r) => r.replay.tools.join(' ')],
  ['replay_sources', (r) => r.replay.sources.join(' | ')],
  ['replay_total_ms', (r) => r.replay.totalMs],
  ['replay_first_token_ms', (r) => r.replay.firstTokenMs],
  ['replay_status', (r) => r.replay.status],
  ['replay_error', (r) => r.replay.error],
  ['tools_match', (r) => r.toolsMatch],
  ['grounding_kept', (r) => r.groundingKept],
  ['latency_delta_ms', (r) => r.latencyDeltaMs],
];

/** One row per replayed turn, RFC 4180 quoting; text that a spreadsheet would run as a formula is defused. */
export function replayCsv(results: readonly ReplayResult[]): string {
  const lines = [COLUMNS.map(([name]) => name).join(',')];
  for (const result of results) lines.push(COLUMNS.map(([, value]) => csvCell(value(result))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

export function replayJson(run: ReplayRun, results: readonly ReplayResult[]): string {
  return JSON.stringify({ run, results }, null, 2);
}

function csvCell(value: string | number | boolean | null): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
