import { randomUUID } from 'node:crypto';
import { ParleyError, type Channel, type Conversation, type Message, type ModelRef, type ReplayAnswerSide, type ReplayRun } from '#protocol';
import { toParleyError } from '../../base';
import type { PublishEvent } from '../../platform/events';
import type { JobQueue, JobWorker, RunningJob } from '../../platform/jobs';
import type { Logger } from '../../platform/observability';
import type { ChannelTurnConfig, TurnRunner } from '../../platform/turns';
import { recordedTurns, type RecordedTurn } from './recorded-turns';
import type { ReplayRepository } from './replay-repository';
import { scoreReplay } from './replay-scoring';

export const REPLAY_QUEUE = 'diagnostics.replay';

/** The recorded conversations, as the agent keeps them (passed in by the composition root). */
export interface ConversationSource {
  get(id: string): Promise<Conversation>;
  messages(conversationId: string): Promise<Message[]>;
}

export interface ReplayServiceOptions {
  repository: ReplayRepository;
  conversations: ConversationSource;
  turns: TurnRunner;
  jobs: JobQueue;
  publish: PublishEvent;
  logger: Logger;
}

interface ReplayJob {
  runId: string;
}

/**
 * Replay evaluation: a run replays the user turns of recorded conversations through the one turn
 * runner, on the `replay` channel (caller memory: nothing is stored in the original conversations)
 * configured with the model and prompt under test, and scores each answer against the original.
 * Runs are jobs on the platform queue, one at a time (the replay channel has one config), resumed
 * after a restart from the first turn not yet scored.
 */
export class ReplayService {
  private readonly cancels = new Map<string, AbortController>();

  constructor(private readonly options: ReplayServiceOptions) {}

  async start(request: { conversationIds: string[]; model?: ModelRef; systemPrompt?: string }): Promise<ReplayRun> {
    const conversationIds = [...new Set(request.conversationIds)];
    let totalTurns = 0;
    for (const id of conversationIds) {
      await this.options.conversations.get(id);
      totalTurns += recordedTurns(await this.options.conversations.messages(id)).length;
    }
    if (totalTurns === 0) throw new ParleyError('invalid_params', 'These conversations have no user turn to replay', { hint: 'Pick conversations where someone asked something.' });
    const run = await this.options.repository.create({ conversationIds, model: request.model ?? null, systemPrompt: request.systemPrompt?.trim() ? request.systemPrompt : null, totalTurns });
    await this.options.jobs.enqueue(REPLAY_QUEUE, { runId: run.id } satisfies ReplayJob, { serialKey: 'replay', maxAttempts: 3 });
    this.options.publish('diagnostics.replay.progress', { run });
    this.options.logger.info({ runId: run.id, conversations: conversationIds.length, totalTurns, model: run.model }, 'replay queued');
    return run;
  }

  async cancel(id: string): Promise<ReplayRun> {
    const run = await this.options.repository.get(id);
    if (run.status !== 'queued' && run.status !== 'running') return run;
    const cancelled = await this.options.repository.setStatus(id, 'cancelled');
    this.cancels.get(id)?.abort();
    this.options.publish('diagnostics.replay.progress', { run: cancelled });
    return cancelled;
  }

  work(): JobWorker {
    return this.options.jobs.work<ReplayJob>(REPLAY_QUEUE, { concurrency: 1, backoff: { baseMs: 2_000 } }, (job) => this.runJob(job));
  }

  private async runJob(job: RunningJob<ReplayJob>): Promise<void> {
    const { repository, publish, logger } = this.options;
    const runId = job.payload.runId;
    const run = await repository.get(runId);
    if (run.status !== 'queued' && run.status !== 'running') return;
    const cancel = new AbortController();
    this.cancels.set(runId, cancel);
    const signal = AbortSignal.any([job.signal, cancel.signal]);
    try {
      publish('diagnostics.replay.progress', { run: await repository.setStatus(runId, 'running') });
      await this.replayConversations(run, signal);
      if (cancel.signal.aborted) return;
      // The queue is stopping: the job goes back to the queue and resumes where it stopped.
      if (job.signal.aborted) throw new Error('the backend stopped during the replay');
      const done = await repository.setStatus(runId, 'done');
      publish('diagnostics.replay.progress', { run: done });
      logger.info({ runId, turns: done.doneTurns, toolsMatched: done.toolsMatched }, 'replay finished');
    } catch (error) {
      if (job.signal.aborted) throw error;
      const failure = toParleyError(error, 'The replay failed');
      publish('diagnostics.replay.progress', { run: await repository.setStatus(runId, 'failed', failure.message) });
      logger.warn({ err: error, runId }, 'replay failed');
    } finally {
      this.cancels.delete(runId);
    }
  }

  private async replayConversations(run: ReplayRun, signal: AbortSignal): Promise<void> {
    const { repository, conversations, turns, publish } = this.options;
    const scored = new Set((await repository.results(run.id)).map((result) => `${result.conversationId}#${result.turnIndex}`));
    let seq = scored.size;
    for (const conversationId of run.conversationIds) {
      if (signal.aborted) return;
      let conversation: Conversation;
      try {
        conversation = await conversations.get(conversationId);
      } catch {
        continue; // deleted since the run started: nothing left to replay
      }
      const recorded = recordedTurns(await conversations.messages(conversationId));
      const channel = turns.configureChannel('replay', replayChannelConfig(run, conversation.channel));
      try {
        for (const turn of recorded) {
          if (signal.aborted) return;
          if (scored.has(`${conversationId}#${turn.index}`)) continue;
          const replay = await this.replayTurn(turn, signal);
          if (signal.aborted) return; // a turn cut short by a stop or cancel is not a result
          const result = { runId: run.id, conversationId, conversationTitle: conversation.title, turnIndex: turn.index, userText: turn.userText, original: turn.original, replay, ...scoreReplay(turn.original, replay) };
          await repository.saveResult(result, seq++);
          publish('diagnostics.replay.progress', { run: await repository.get(run.id), result });
        }
      } finally {
        channel.dispose();
      }
    }
  }

  private async replayTurn(turn: RecordedTurn, signal: AbortSignal): Promise<ReplayAnswerSide> {
    try {
      const answer = await this.options.turns.run({ channel: 'replay', turnId: `replay-${randomUUID()}`, text: turn.userText, history: turn.history, signal });
      return {
        text: answer.text,
        tools: (answer.toolCalls ?? []).map((call) => call.name),
        sources: answer.meta.sources,
        totalMs: answer.meta.totalMs,
        firstTokenMs: answer.meta.timeToFirstTokenMs ?? null,
        model: `${answer.meta.providerId}/${answer.meta.model}`,
        status: 'complete',
        error: null,
      };
    } catch (error) {
      const failure = toParleyError(error, 'The replayed turn failed');
      return { text: '', tools: [], sources: [], totalMs: null, firstTokenMs: null, model: null, status: 'error', error: [failure.message, failure.hint].filter(Boolean).join(' ') };
    }
  }
}

/**
 * The replay channel for one conversation: the model and prompt under test, or the ones its own
 * channel uses; the tools its own channel may call. Tools run on the `replay` channel, so an
 * action that changes something is refused unless an operator allowed it there.
 */
function replayChannelConfig(run: ReplayRun, channel: Channel): ChannelTurnConfig {
  const whatsapp = channel === 'whatsapp';
  const toolChannel: Channel = whatsapp ? 'whatsapp' : 'console';
  return {
    model: (settings) => run.model ?? (whatsapp ? (settings['agent.whatsapp.model'] ?? settings['agent.console.model']) : settings['agent.console.model']),
    systemPrompt: (settings) => run.systemPrompt ?? (whatsapp ? settings['agent.whatsapp.systemPrompt'] || settings['agent.console.systemPrompt'] : settings['agent.console.systemPrompt']),
    allowsTool: (tool) => tool.channels.includes(toolChannel),
    memory: { kind: 'caller' },
  };
}
