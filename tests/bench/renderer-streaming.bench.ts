import type { Page } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { reply, startScriptedOpenAiServer } from '../support/scripted-openai-server';
import { startServerProcess } from '../support/server-process';
import type { BenchRow } from './bench-table';

const RATES = [100, 300, 1000];
const TOKENS = 1200;
/** A frame longer than two vsyncs at 60 Hz was dropped. */
const DROPPED_FRAME_MS = 2 * (1000 / 60);

/**
 * How fast the Conversation panel can render a streamed Markdown answer in Chromium without
 * dropping frames. Each rate streams the same long answer (paragraphs, a list, a table, code);
 * the baseline is the same page idle over the same duration.
 */
export async function benchRendererStreaming(): Promise<BenchRow[]> {
  const llm = await startScriptedOpenAiServer({ models: ['bench-model'] });
  const server = await startServerProcess({ env: { PARLEY_LOG_LEVEL: 'warn', PARLEY_LLM_BASE_URL: llm.baseUrl, PARLEY_LLM_MODEL: 'bench-model' } });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(server.consoleUrl);
    await page.getByTestId('connection-indicator').filter({ hasText: 'Connected' }).waitFor();
    const idle = await measureFrames(page, async () => page.waitForTimeout(2000));
    const rows: BenchRow[] = [];
    let sustained = 0;
    for (const rate of RATES) {
      llm.enqueue(reply.chunks(answerTokens(TOKENS), { chunkDelayMs: 1000 / rate }));
      await page.getByRole('button', { name: 'New', exact: true }).click();
      const frames = await measureFrames(page, async () => {
        await page.getByPlaceholder(/Ask the agent/).fill(`Stream ${rate} tokens per second`);
        await page.keyboard.press('Enter');
        await page.getByRole('button', { name: 'Regenerate' }).last().waitFor({ timeout: 60_000 });
      });
      const achievedRate = TOKENS / (frames.durationMs / 1000);
      rows.push({
        name: `renderer: dropped frames streaming at ${rate} tok/s (achieved ${Math.round(achievedRate)})`,
        value: frames.droppedPercent,
        unit: '%',
        baselineName: 'idle page',
        baseline: idle.droppedPercent,
      });
      if (frames.droppedPercent <= 1) sustained = Math.max(sustained, Math.round(achievedRate));
    }
    rows.push({ name: 'renderer: highest streaming rate with ≤ 1% dropped frames', value: sustained, unit: 'tok/s', goal: '≥ 100 tok/s' });
    return rows;
  } finally {
    await browser.close();
    await server.stop();
    await llm.close();
  }
}

async function measureFrames(page: Page, during: () => Promise<void>): Promise<{ droppedPercent: number; durationMs: number }> {
  // Strings, not functions: the bench runs through tsx, whose helpers do not exist in the page.
  await page.evaluate(`(() => {
    const state = { intervals: [], last: 0, running: true };
    window.__frames = state;
    const tick = (time) => {
      if (state.last) state.intervals.push(time - state.last);
      state.last = time;
      if (state.running) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  const started = Date.now();
  await during();
  const durationMs = Date.now() - started;
  const intervals = (await page.evaluate('(() => { window.__frames.running = false; return window.__frames.intervals; })()')) as number[];
  const expectedFrames = durationMs / (1000 / 60);
  const dropped = intervals.reduce((sum, interval) => sum + (interval > DROPPED_FRAME_MS ? Math.round(interval / (1000 / 60)) - 1 : 0), 0);
  return { droppedPercent: (100 * dropped) / Math.max(1, expectedFrames), durationMs };
}

function answerTokens(count: number): string[] {
  const blocks = [
    'Here is a **long** answer with `inline code` and a [link](https://example.com). ',
    '\n\n- first point of the list\n- second point, *emphasised*\n- third point\n\n',
    '| column | value |\n|---|---|\n| alpha | 1 |\n| beta | 2 |\n\n',
    '```ts\nconst answer = 42;\nconsole.log(answer);\n```\n\n',
  ];
  const text = Array.from({ length: 200 }, (_, index) => blocks[index % blocks.length]).join('');
  const tokens: string[] = [];
  for (let offset = 0; tokens.length < count && offset < text.length; offset += 4) tokens.push(text.slice(offset, offset + 4));
  return tokens;
}
