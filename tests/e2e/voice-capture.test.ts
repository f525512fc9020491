import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTranscriptionServer, type FakeTranscriptionServer } from '../backend/speech/stt/fake-transcription-server';
import { launchChromium, watchPageErrors } from '../support/browser';
import { reply, startScriptedOpenAiServer, type ScriptedOpenAiServer } from '../support/scripted-openai-server';
import { callServerMethod, startServerProcess, type ServerProcess } from '../support/server-process';
import { loggedEvents, recordVoiceTraffic, type VoiceSocketLog } from '../support/voice-socket-log';

// Chromium's fake microphone plays a short 400 Hz beep every second; the fake UI grants the permission.
const FAKE_MEDIA = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--autoplay-policy=no-user-gesture-required'];
/** Seconds of speech the backend sends (100 ms playback frames): what the console has queued. */
const PLAYBACK_FRAME_SECONDS = 0.1;

function rmsDbfs(samples: Int16Array): number {
  let sum = 0;
  for (const sample of samples) sum += (sample / 32768) ** 2;
  return 10 * Math.log10(sum / Math.max(1, samples.length) || 1e-12);
}

/** The strongest frequency between 50 Hz and 4 kHz, by a plain DFT on a 5 Hz grid. */
function peakHz(samples: Int16Array, rate: number): number {
  let best = 0;
  let bestHz = 0;
  for (let hz = 50; hz <= 4000; hz += 5) {
    let re = 0;
    let im = 0;
    for (let n = 0; n < samples.length; n++) {
      re += samples[n]! * Math.cos((2 * Math.PI * hz * n) / rate);
      im += samples[n]! * Math.sin((2 * Math.PI * hz * n) / rate);
    }
    if (re * re + im * im > best) [best, bestHz] = [re * re + im * im, hz];
  }
  return bestHz;
}

function concat(chunks: Int16Array[]): Int16Array {
  const out = new Int16Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}


describe('voice capture and playback in the console, against the real backend', () => {
  let llm: ScriptedOpenAiServer;
  let stt: FakeTranscriptionServer;
  let server: ServerProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let log: VoiceSocketLog;
  let errors: string[];

  beforeAll(async () => {
    llm = await startScriptedOpenAiServer({ models: ['scripted-model'] });
    stt = await startFakeTranscriptionServer();
    // The beeps are not words: nothing is heard, so no turn starts while capture is checked.
    stt.answer = { text: '' };
    server = await startServerProcess();
    await callServerMethod(server, 'providers.save', { id: 'scripted', kind: 'custom', name: 'Scripted', baseUrl: llm.baseUrl, maxRetries: 0 });
    await callServerMethod(server, 'settings.set', { key: 'agent.console.model', value: { providerId: 'scripted', model: 'scripted-model' } });
    await callServerMethod(server, 'providers.save', { id: 'transcriber', kind: 'custom', name: 'Transcriber', baseUrl: stt.baseUrl, maxRetries: 0 });
    await callServerMethod(server, 'settings.set', { key: 'voice.stt.engine', value: 'remote' });
    await callServerMethod(server, 'settings.set', { key: 'voice.stt.remote', value: { providerId: 'transcriber', model: 'whisper-1' } });
    await callServerMethod(server, 'conversations.create', { title: 'Voice check' });
    browser = await launchChromium(FAKE_MEDIA);
    context = await browser.newContext({ permissions: ['microphone'] });
    page = await context.newPage();
    errors = watchPageErrors(page);
    log = await recordVoiceTraffic(page);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await llm?.close();
    await stt?.close();
  });

  it('loads the capture worklet and shows the fake microphone on the Voice panel meter', async () => {
    await page.goto(server.consoleUrl);
    await expect.poll(() => page.getByTestId('connection-indicator').textContent()).toContain('Connected');
    await page.getByRole('navigation', { name: 'Panels' }).getByRole('button', { name: 'Voice' }).click();
    const meter = page.getByRole('meter', { name: 'Microphone test level' });
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Stop test' }).count()).toBe(1);
    // The beep lifts the meter well above its floor within a couple of seconds.
    await expect.poll(async () => Number(await meter.getAttribute('aria-valuenow')), { timeout: 10_000 }).toBeGreaterThan(-40);
    await page.getByRole('button', { name: 'Stop test' }).click();
    await expect.poll(async () => Number(await meter.getAttribute('aria-valuenow'))).toBe(-60);
    // Nothing is sent while testing.
    expect(log.captureFrames).toHaveLength(0);
    expect(errors).toEqual([]);
  });

  it('streams 16 kHz PCM16 capture frames while push-to-talk is held, and the backend transcribes those very samples', async () => {
    await page.getByRole('navigation', { name: 'Panels' }).getByRole('button', { name: 'Conversation' }).click();
    await page.getByRole('complementary', { name: 'Conversations' }).getByRole('button', { name: /^Voice check/ }).click();
    const mic = page.getByTestId('mic-control');
    await expect.poll(() => mic.count()).toBe(1);
    await mic.getByLabel('Voice mode').selectOption('push-to-talk');
    await mic.getByRole('button', { name: 'Start voice' }).click();
    const talk = mic.getByRole('button', { name: /Hold to talk|Talking/ });
    await expect.poll(() => talk.count(), { timeout: 10_000 }).toBe(1);
    expect(log.requests[0]).toMatchObject({ method: 'voice.start', params: { mode: 'push-to-talk' } });
    expect(log.streamId).not.toBeNull();

    // Nothing leaves before the press.
    await page.waitForTimeout(300);
    expect(log.captureFrames).toHaveLength(0);

    await talk.hover();
    await page.mouse.down();
    await expect.poll(() => talk.getAttribute('aria-pressed')).toBe('true');
    await page.waitForTimeout(2000);
    await page.mouse.up();
    await expect.poll(() => log.requests.filter((r) => r.method === 'voice.pushToTalk').length, { timeout: 5000 }).toBe(2);
    expect(await talk.getAttribute('aria-pressed')).toBe('false');

    const [pressed, released] = log.requests.filter((r) => r.method === 'voice.pushToTalk');
    expect(pressed).toMatchObject({ params: { pressed: true }, framesBefore: 0 });
    expect(released?.params).toMatchObject({ pressed: false });
    // Every frame of the utterance went out between the press and the release.
    expect(released!.framesBefore).toBe(log.captureFrames.length);

    const frames = log.captureFrames;
    expect(new Set(frames.map((f) => f.streamId))).toEqual(new Set([log.streamId]));
    // 32 ms frames; the last one is what the worklet held at the release.
    expect(frames.slice(0, -1).every((f) => f.samples.length === 512)).toBe(true);
    const samples = frames.reduce((sum, f) => sum + f.samples.length, 0);
    // ~2 s held + 150 ms tail + up to 96 ms of pre-roll, at 16 kHz.
    expect(samples / 16_000).toBeGreaterThan(1.9);
    expect(samples / 16_000).toBeLessThan(2.8);
    // Chromium's fake beep is a 400 Hz tone: it must come out at 400 Hz (treating 44.1 kHz as 48 kHz would move it ~35 Hz).
    const loudest = frames.filter((f) => f.samples.length === 512).sort((a, b) => rmsDbfs(b.samples) - rmsDbfs(a.samples))[0]!;
    expect(rmsDbfs(loudest.samples)).toBeGreaterThan(-30);
    expect(Math.abs(peakHz(loudest.samples, 16_000) - 400)).toBeLessThanOrEqual(15);

    // The backend took the utterance as sent, sample for sample (pre-roll included), and transcribed it.
    await expect.poll(() => loggedEvents(log, 'voice.transcript', log.streamId).find((data) => data.final), { timeout: 10_000 }).toMatchObject({ text: '' });
    const transcribed = stt.received.at(-1)!.wav;
    expect(transcribed.sampleRate).toBe(16_000);
    const sent = concat(frames.map((f) => f.samples));
    expect(transcribed.samples.length).toBe(sent.length);
    expect([...transcribed.samples]).toEqual([...sent]);
    await expect.poll(() => mic.getByTestId('voice-status').textContent()).toContain('Hold to talk');
    expect(loggedEvents(log, 'voice.error')).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('holds push-to-talk with Ctrl+Shift+Space while typing, and with Space on the button', async () => {
    const mic = page.getByTestId('mic-control');
    const talks = () => log.requests.filter((r) => r.method === 'voice.pushToTalk').length;
    const before = talks();
    const composer = page.getByLabel('Message to the agent');
    await composer.fill('');
    await composer.focus();
    await page.keyboard.type('a b');
    expect(talks()).toBe(before);

    await page.keyboard.down('Control');
    await page.keyboard.down('Shift');
    await page.keyboard.down('Space');
    await expect.poll(() => mic.getByRole('button', { name: 'Talking…' }).getAttribute('aria-pressed')).toBe('true');
    await page.waitForTimeout(400);
    await page.keyboard.up('Space');
    await page.keyboard.up('Shift');
    await page.keyboard.up('Control');
    await expect.poll(() => talks(), { timeout: 5000 }).toBe(before + 2);
    // The chord typed nothing.
    expect(await composer.inputValue()).toBe('a b');

    await mic.getByRole('button', { name: 'Hold to talk' }).focus();
    await page.keyboard.down('Space');
    await expect.poll(() => mic.getByRole('button', { name: 'Talking…' }).count()).toBe(1);
    await page.waitForTimeout(300);
    await page.keyboard.up('Space');
    await expect.poll(() => talks(), { timeout: 5000 }).toBe(before + 4);
    expect(log.requests.slice(-4).map((r) => r.params.pressed)).toEqual([true, false, true, false]);
    // Each hold was an utterance the backend transcribed.
    await expect.poll(() => loggedEvents(log, 'voice.transcript', log.streamId).filter((data) => data.final).length, { timeout: 10_000 }).toBe(3);
    await composer.fill('');
  });

  it('streams continuously hands-free, and mute stops sending without closing the stream', async () => {
    const mic = page.getByTestId('mic-control');
    const starts = () => log.requests.filter((r) => r.method === 'voice.start');
    const startsBefore = starts().length;
    await mic.getByLabel('Voice mode').selectOption('hands-free');
    await expect.poll(() => starts().length, { timeout: 10_000 }).toBe(startsBefore + 1);
    expect(starts().at(-1)?.params).toMatchObject({ mode: 'hands-free' });
    expect(log.requests.at(-2)?.method).toBe('voice.stop');
    const mute = mic.getByRole('button', { name: 'Mute' });
    await expect.poll(() => mute.count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => loggedEvents(log, 'voice.state', log.streamId).at(-1)).toMatchObject({ state: 'listening' });

    const framesAt = log.captureFrames.length;
    await page.waitForTimeout(1000);
    // ~31 frames a second, with nothing pressed.
    expect(log.captureFrames.length - framesAt).toBeGreaterThan(20);

    await mute.click();
    await expect.poll(() => mic.getByRole('button', { name: 'Unmute' }).getAttribute('aria-pressed')).toBe('true');
    const mutedAt = log.captureFrames.length;
    await page.waitForTimeout(600);
    expect(log.captureFrames.length - mutedAt).toBeLessThanOrEqual(1);
    expect(log.requests.at(-1)?.method).toBe('voice.start');

    await mic.getByRole('button', { name: 'Unmute' }).click();
    await expect.poll(() => log.captureFrames.length - mutedAt, { timeout: 5000 }).toBeGreaterThan(5);
    expect(loggedEvents(log, 'voice.error')).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('plays the spoken answer, and drops what is queued at once on Stop answer and on a new press (barge-in)', async () => {
    const mic = page.getByTestId('mic-control');
    await mic.getByLabel('Voice mode').selectOption('push-to-talk');
    const talk = mic.getByRole('button', { name: /Hold to talk|Talking/ });
    await expect.poll(() => talk.count(), { timeout: 10_000 }).toBe(1);
    // Long sentences, written at once: the backend sends many seconds of speech ahead of playback.
    const long = Array.from({ length: 8 }, (_, index) => `Here is sentence ${index + 1}, which goes on for a while so that the answer takes long to say.`).join(' ');
    stt.answer = { text: 'Tell me something long.' };

    for (const how of ['Stop answer', 'barge-in'] as const) {
      llm.enqueue(reply.text(long));
      const streamId = log.streamId;
      const playbackStarts = () => loggedEvents(log, 'voice.playback', streamId).filter((data) => data.action === 'start').length;
      const startsBefore = playbackStarts();
      const framesBefore = log.playbackFrames;
      await talk.hover();
      await page.mouse.down();
      await page.waitForTimeout(600);
      await page.mouse.up();
      await expect.poll(() => playbackStarts(), { timeout: 15_000 }).toBe(startsBefore + 1);
      await expect.poll(() => mic.getAttribute('data-playing'), { timeout: 10_000 }).toBe('true');
      // The state event follows playback start; a busy two-core machine can take over a second to show it.
      await expect.poll(() => mic.getAttribute('data-state'), { timeout: 10_000 }).toBe('speaking');
      const startedAt = loggedEvents(log, 'voice.playback', streamId).length;
      const start = log.events.filter((entry) => entry.event === 'voice.playback' && entry.data.action === 'start').at(-1)!;
      await page.waitForTimeout(300);
      // Seconds of the answer still queued in the console: what was sent, less what has played.
      const queued = (log.playbackFrames - framesBefore) * PLAYBACK_FRAME_SECONDS - (Date.now() - start.at) / 1000;
      expect(queued).toBeGreaterThan(3);

      const stopped = Date.now();
      if (how === 'Stop answer') {
        await mic.getByRole('button', { name: 'Stop answer' }).click();
      } else {
        await talk.hover();
        await page.mouse.down();
      }
      await expect.poll(() => mic.getAttribute('data-playing'), { interval: 10, timeout: 5000 }).toBe('false');
      // Seconds were queued; the stop drops them (a 4 ms fade), it does not play them out.
      expect(Date.now() - stopped).toBeLessThan(Math.min(1500, queued * 1000 / 2));
      await expect
        .poll(() => loggedEvents(log, 'voice.playback', streamId).slice(startedAt - 1).find((data) => data.action === 'stop'))
        .toMatchObject({ reason: how === 'Stop answer' ? 'interrupted' : 'barge-in' });
      if (how === 'barge-in') {
        stt.answer = { text: '' };
        await page.mouse.up();
      }
      await expect.poll(() => mic.getAttribute('data-state')).toBe('idle');
    }

    await mic.getByRole('button', { name: 'Stop voice' }).click();
    await expect.poll(() => mic.getByRole('button', { name: 'Start voice' }).count()).toBe(1);
    expect(log.requests.at(-1)?.method).toBe('voice.stop');
    expect(loggedEvents(log, 'voice.error')).toEqual([]);
    expect(errors).toEqual([]);
  });
});
