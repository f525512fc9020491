import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { replayExportPath, type ReplayRun } from '#protocol';
import type { ParleySocketClient } from '../../support/backend-harness';
import { reply } from '../../support/scripted-openai-server';
import { eventsOf, sentMessages, startAgentFixture, type AgentFixture } from '../agent/agent-fixture';
import { diagnosticsSocket } from './diagnostics-fixture';

const MODEL_B = { providerId: 'scripted', model: 'model-b' };

/** Waits for the run's progress event that satisfies `done`. */
async function runProgress(socket: ParleySocketClient, runId: string, done: (run: ReplayRun) => boolean): Promise<ReplayRun> {
  const frame = await socket.waitForFrame(
    (candidate) => candidate.kind === 'event' && candidate.event === 'diagnostics.replay.progress' && (candidate.data as { run: ReplayRun }).run.id === runId && done((candidate.data as { run: ReplayRun }).run),
    `replay ${runId} progress`,
    20_000,
  );
  return (frame as { data: { run: ReplayRun } }).data.run;
}

describe('replay evaluation', () => {
  let fixture: AgentFixture;
  let socket: ParleySocketClient;
  beforeEach(async () => {
    fixture = await startAgentFixture();
    socket = await diagnosticsSocket(fixture.backend);
    // The recorded conversation: a grounded answer after a tool call, then a plain one.
    fixture.llm.enqueue(reply.toolCall('get_current_time', { timeZone: 'Europe/Paris' }, { model: 'model-a' }), reply.text('It is noon in Paris.', { model: 'model-a' }), reply.text('You are welcome.', { model: 'model-a' }));
    await fixture.send('What time is it in Paris?');
    await fixture.send('Thanks!');
  });
  afterEach(async () => fixture.close());

  it('replays each user turn against another model and prompt, scores it beside the original, keeps it, and exports CSV and JSON', async () => {
    const requestsBefore = fixture.llm.chatRequests.length;
    fixture.llm.enqueue(
      // Turn 1: the same tool, so tools match and grounding is kept.
      reply.toolCall('get_current_time', { timeZone: 'Europe/Paris' }, { model: 'model-b' }),
      reply.text('Noon.', { model: 'model-b' }),
      // Turn 2: a tool the original did not call.
      reply.toolCall('get_current_time', { timeZone: 'UTC' }, { model: 'model-b' }),
      reply.text('Welcome.', { model: 'model-b' }),
    );
    const { run } = await fixture.backend.call('diagnostics.replay', { conversationIds: [fixture.conversationId], model: MODEL_B, systemPrompt: 'Answer in one word.' });
    expect(run).toMatchObject({ status: 'queued', totalTurns: 2, doneTurns: 0, model: MODEL_B, systemPrompt: 'Answer in one word.' });

    const done = await runProgress(socket, run.id, (candidate) => candidate.status === 'done');
    expect(done).toMatchObject({ doneTurns: 2, toolsMatched: 1, groundingKept: 1, groundedOriginals: 1, failedTurns: 0, error: null });
    // Progress came turn by turn, each with its scored result.
    const progress = eventsOf(socket, 'diagnostics.replay.progress').filter((event) => event.run.id === run.id && event.result);
    expect(progress.map((event) => event.result!.turnIndex)).toEqual([0, 1]);

    const { results } = await fixture.backend.call('diagnostics.replay.get', { id: run.id });
    expect(results).toHaveLength(2);
    const [first, second] = results;
    expect(first).toMatchObject({
      turnIndex: 0,
      userText: 'What time is it in Paris?',
      original: { text: 'It is noon in Paris.', tools: ['get_current_time'], model: 'scripted/model-a', status: 'complete' },
      replay: { text: 'Noon.', tools: ['get_current_time'], model: 'scripted/model-b', status: 'complete' },
      toolsMatch: true,
      groundingKept: true,
    });
    expect(first!.original.sources.length).toBeGreaterThan(0);
    expect(first!.replay.totalMs).toBeGreaterThan(0);
    expect(typeof first!.latencyDeltaMs).toBe('number');
    expect(second).toMatchObject({ turnIndex: 1, original: { text: 'You are welcome.', tools: [] }, replay: { text: 'Welcome.', tools: ['get_current_time'] }, toolsMatch: false, groundingKept: null });

    // The model under test got the prompt under test, and the original history before the second turn.
    const replayRequests = fixture.llm.chatRequests.slice(requestsBefore);
    expect(replayRequests.every((request) => request.body?.model === 'model-b')).toBe(true);
    expect(sentMessages(replayRequests[0]).at(0)?.content).toContain('Answer in one word.');
    expect(sentMessages(replayRequests[2]).slice(1)).toEqual([
      { role: 'user', content: 'What time is it in Paris?' },
      { role: 'assistant', content: 'It is noon in Paris.' },
      { role: 'user', content: 'Thanks!' },
    ]);

    // Nothing was stored in the original conversation, and no conversation was added.
    expect((await fixture.messages()).filter((message) => message.role === 'user')).toHaveLength(2);
    expect((await fixture.backend.call('conversations.list', {})).conversations).toHaveLength(1);

    expect((await fixture.backend.call('diagnostics.replay.list', {})).runs.map((kept) => kept.id)).toEqual([run.id]);
    const csv = await (await fixture.backend.fetch(replayExportPath(run.id, 'csv'))).text();
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toMatch(/^conversation_id,conversation_title,turn,user_text,/);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain('get_current_time');
    expect(lines[1]).toMatch(/,true,true,-?\d+$/);
    const json = (await (await fixture.backend.fetch(replayExportPath(run.id, 'json'))).json()) as { run: ReplayRun; results: unknown[] };
    expect(json.run).toMatchObject({ id: run.id, status: 'done' });
    expect(json.results).toEqual(results);
    expect((await fixture.backend.fetch(replayExportPath('no-such-run', 'csv'))).status).toBe(404);
  });

  it('scores a turn the model under test failed as failed, and goes on', async () => {
    // Nothing queued for model-b: the scripted server answers 500 to both turns.
    const { run } = await fixture.backend.call('diagnostics.replay', { conversationIds: [fixture.conversationId], model: MODEL_B });
    const done = await runProgress(socket, run.id, (candidate) => candidate.status === 'done');
    expect(done).toMatchObject({ doneTurns: 2, failedTurns: 2, toolsMatched: 0, groundingKept: 0, groundedOriginals: 1 });
    const { results } = await fixture.backend.call('diagnostics.replay.get', { id: run.id });
    expect(results[0]!.replay).toMatchObject({ status: 'error', error: expect.stringMatching(/500|server/i), text: '' });
    expect(results[0]!.groundingKept).toBe(false);
    // Replays stay out of the live stage metrics: only the two recorded turns are there.
    const to = Date.now() + 60_000;
    const { series } = await fixture.backend.call('diagnostics.metrics', { from: to - 600_000, to, stage: 'llm_total' });
    expect(series[0]!.points.reduce((sum, point) => sum + point.count + point.errors, 0)).toBe(2);
  });

  it('stops a running replay on cancel and keeps what was scored', async () => {
    const [hanging] = fixture.llm.enqueue(reply.hang({ model: 'model-b', chunks: ['Thinking…'] }));
    const { run } = await fixture.backend.call('diagnostics.replay', { conversationIds: [fixture.conversationId], model: MODEL_B });
    await runProgress(socket, run.id, (candidate) => candidate.status === 'running');
    await hanging!.served;
    const { run: cancelled } = await fixture.backend.call('diagnostics.replay.cancel', { id: run.id });
    expect(cancelled.status).toBe('cancelled');
    expect(await hanging!.outcome).toBe('aborted');
    // The job ends without scoring the stopped turn or starting the next one.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await fixture.backend.call('diagnostics.replay.get', { id: run.id })).toMatchObject({ run: { status: 'cancelled', doneTurns: 0 }, results: [] });
  });

  it('refuses conversations that do not exist or have nothing to replay', async () => {
    await expect(fixture.backend.call('diagnostics.replay', { conversationIds: ['no-such-conversation'] })).rejects.toMatchObject({ code: 'not_found' });
    const { conversation } = await fixture.backend.call('conversations.create', {});
    await expect(fixture.backend.call('diagnostics.replay', { conversationIds: [conversation.id] })).rejects.toMatchObject({ code: 'invalid_params' });
  });
});
