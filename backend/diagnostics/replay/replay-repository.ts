import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { modelRefSchema, ParleyError, replayResultSchema, type ModelRef, type ReplayResult, type ReplayRun, type ReplayRunStatus } from '#protocol';
import { REPLAY_RESULTS_TABLE, REPLAY_RUNS_TABLE } from '../migrations';

interface RunRow {
  id: string;
  status: ReplayRunStatus;
  conversation_ids_json: string;
  model_json: string | null;
  system_prompt: string | null;
  total_turns: number;
  error: string | null;
  created_at: number | string;
  finished_at: number | string | null;
}

/** Replay runs and their scored turns in the app store: kept after the run, for the panel and the exports. */
export class ReplayRepository {
  constructor(private readonly knex: Knex) {}

  async create(request: { conversationIds: string[]; model: ModelRef | null; systemPrompt: string | null; totalTurns: number }): Promise<ReplayRun> {
    const id = randomUUID();
    await this.knex(REPLAY_RUNS_TABLE).insert({
      id,
      status: 'queued',
      conversation_ids_json: JSON.stringify(request.conversationIds),
      model_json: request.model ? JSON.stringify(request.model) : null,
      system_prompt: request.systemPrompt,
      total_turns: request.totalTurns,
      created_at: Date.now(),
    });
    return this.get(id);
  }

  async get(id: string): Promise<ReplayRun> {
    const row = (await this.knex(REPLAY_RUNS_TABLE).where({ id }).first()) as RunRow | undefined;
    if (!row) throw new ParleyError('not_found', `No replay run "${id}"`, { hint: 'It may have been deleted; the Diagnostics panel lists the runs kept.' });
    return this.withSummary(row);
  }

  async list(limit: number): Promise<ReplayRun[]> {
    const rows = (await this.knex(REPLAY_RUNS_TABLE).orderBy('created_at', 'desc').limit(limit)) as RunRow[];
    return Promise.all(rows.map((row) => this.withSummary(row)));
  }

  async setStatus(id: string, status: ReplayRunStatus, error: string | null = null): Promise<ReplayRun> {
    const finished = status === 'done' || status === 'failed' || status === 'cancelled';
    await this.knex(REPLAY_RUNS_TABLE)
      .where({ id })
      .update({ status, error, finished_at: finished ? Date.now() : null });
    return this.get(id);
  }

  /** Stores one scored turn (a resumed run writes the same turn again: last one wins). */
  async saveResult(result: ReplayResult, seq: number): Promise<void> {
    const key = { run_id: result.runId, conversation_id: result.conversationId, turn_index: result.turnIndex };
    await this.knex(REPLAY_RESULTS_TABLE)
      .insert({ ...key, seq, result_json: JSON.stringify(result) })
      .onConflict(['run_id', 'conversation_id', 'turn_index'])
      .merge(['seq', 'result_json']);
  }

  async results(runId: string): Promise<ReplayResult[]> {
    const rows = (await this.knex(REPLAY_RESULTS_TABLE).where({ run_id: runId }).orderBy('seq')) as Array<{ result_json: string }>;
    return rows.map((row) => replayResultSchema.parse(JSON.parse(row.result_json)));
  }

  /** The run with its counts over the turns scored so far. */
  private async withSummary(row: RunRow): Promise<ReplayRun> {
    const results = await this.results(row.id);
    const grounded = results.filter((result) => result.groundingKept !== null);
    return {
      id: row.id,
      status: row.status,
      conversationIds: JSON.parse(row.conversation_ids_json) as string[],
      model: row.model_json ? modelRefSchema.parse(JSON.parse(row.model_json)) : null,
      systemPrompt: row.system_prompt,
      totalTurns: Number(row.total_turns),
      doneTurns: results.length,
      toolsMatched: results.filter((result) => result.toolsMatch).length,
      groundingKept: grounded.filter((result) => result.groundingKept).length,
      groundedOriginals: grounded.length,
      failedTurns: results.filter((result) => result.replay.status !== 'complete').length,
      error: row.error,
      createdAt: Number(row.created_at),
      finishedAt: row.finished_at === null ? null : Number(row.finished_at),
    };
  }
}
