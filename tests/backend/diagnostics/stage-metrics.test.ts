import { afterEach, describe, expect, it } from 'vitest';
import { reply } from '../../support/scripted-openai-server';
import { stageCounts } from '../../support/stage-metrics';
import { startAgentFixture, type AgentFixture } from '../agent/agent-fixture';
import { textMessage } from '../whatsapp/cloud-payloads';
import { eventually, startWhatsAppFixture, type WhatsAppFixture } from '../whatsapp/whatsapp-fixture';
import { diagnosticsSocket, stageErrorCounts, storedRows, storedSeries, totals } from './diagnostics-fixture';

describe('stage metrics as a stored time series', () => {
  let agent: AgentFixture | undefined;
  let whatsapp: WhatsAppFixture | undefined;
  afterEach(async () => {
    await agent?.close();
    await whatsapp?.close();
    agent = whatsapp = undefined;
  });

  it('keeps an agent turn’s stages (first token, total, tool) and a failed turn as an error, in the store and in /metrics, and tells the panel', async () => {
    agent = await startAgentFixture();
    const socket = await diagnosticsSocket(agent.backend);
    agent.llm.enqueue(reply.toolCall('get_current_time', { timeZone: 'Europe/Paris' }), reply.text('It is noon in Paris.', { firstTokenDelayMs: 250 }));
    await agent.send('What time is it in Paris?');
    const update = await socket.waitForEvent('diagnostics.metrics.updated');
    expect(update.stages).toEqual(expect.arrayContaining(['llm_first_token', 'llm_total', 'tool']));

    // Nothing queued: the scripted server answers 500 and the turn fails.
    await expect(agent.send('And in Tokyo?')).rejects.toMatchObject({ code: expect.any(String) });

    const series = await storedSeries(agent.backend);
    expect(totals(series)).toEqual({
      llm_first_token: { count: 1, errors: 0 },
      llm_total: { count: 2, errors: 1 },
      tool: { count: 1, errors: 0 },
    });
    // The percentiles say what the turns took: the answered one waited 250 ms for its first token,
    // the failed one was refused at once (p50 of two is the faster, p99 the slower, within 2 %).
    const total = series.find((entry) => entry.stage === 'llm_total')!.points.find((point) => point.count > 0)!;
    expect(total.maxMs).toBeGreaterThanOrEqual(250);
    expect(total.p99! / total.maxMs!).toBeCloseTo(1, 1);
    expect(total.p50).toBeLessThan(250);

    const rows = await storedRows(agent.backend);
    expect(rows.map((row) => row.stage).sort()).toEqual(['llm_first_token', 'llm_total', 'tool']);
    expect(await stageCounts(agent.backend)).toMatchObject({ llm_first_token: 1, llm_total: 2, tool: 1 });
    expect(await stageErrorCounts(agent.backend)).toMatchObject({ llm_total: 1 });
  });

  it('keeps a WhatsApp message’s webhook ACK and its answer’s LLM stages', async () => {
    whatsapp = await startWhatsAppFixture();
    const fixture = whatsapp;
    fixture.llm.enqueue(reply.text('Hello from Parley.'));
    const { payload } = textMessage('Hello?');
    expect((await fixture.deliver(payload)).status).toBe(200);
    await fixture.graph.waitForSends(1);
    const counted = await eventually('the WhatsApp stages in the store', async () => {
      const sums = totals(await storedSeries(fixture.backend));
      return sums.whatsapp_ack && sums.llm_total ? sums : undefined;
    });
    expect(counted).toMatchObject({ whatsapp_ack: { count: 1, errors: 0 }, llm_total: { count: 1, errors: 0 } });
    expect((await storedRows(fixture.backend)).some((row) => row.stage === 'whatsapp_ack' && row.count === 1)).toBe(true);
    expect(await stageCounts(fixture.backend)).toMatchObject({ whatsapp_ack: 1, llm_total: 1 });
  });

  it('answers one stage only, every slot present, and refuses a window of too many slots', async () => {
    agent = await startAgentFixture();
    agent.llm.enqueue(reply.text('One.'), reply.text('Two.'));
    await agent.send('1');
    await agent.send('2');
    const series = await storedSeries(agent.backend, 15, 'llm_total');
    expect(series.map((entry) => entry.stage)).toEqual(['llm_total']);
    expect(series[0]!.points).toHaveLength(15);
    expect(series[0]!.points[1]!.t - series[0]!.points[0]!.t).toBe(60_000);
    expect(series[0]!.points.filter((point) => point.count === 0).every((point) => point.p50 === null && point.meanMs === null)).toBe(true);
    expect(series[0]!.points.reduce((sum, point) => sum + point.count, 0)).toBe(2);
    await expect(agent.backend.call('diagnostics.metrics', { from: 0, to: 7 * 24 * 3_600_000, step: 60_000 })).rejects.toMatchObject({ code: 'invalid_params' });
  });
});
