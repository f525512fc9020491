import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTranscriptionServer, type FakeTranscriptionServer } from '../backend/speech/stt/fake-transcription-server';
import { TEST_MODEL_TEXT, testModelPath } from '../backend/speech/stt/stt-fixture';
import { launchChromium, TEST_OUTPUT_DIR, watchPageErrors } from '../support/browser';
import { writeSpokenLoopWav, type SpokenLoop } from '../support/fake-microphone';
import { reply, startScriptedOpenAiServer, type ScriptedOpenAiServer } from '../support/scripted-openai-server';
import { callServerMethod, startServerProcess, type ServerProcess } from '../support/server-process';
import { loggedEvents, recordVoiceTraffic, type VoiceSocketLog } from '../support/voice-socket-log';

const QUESTION = 'What is the weather like in Paris today?';
const HEARD = 'What is the weather like in Paris today?';
/** Long to say, and streamed slowly: still being written and spoken when the question comes round again. */
const LONG_ANSWER = Array.from({ length: 25 }, (_, index) => `Paris weather note ${index + 1}: sunny spells, a light breeze.`).join(' ');
const LOOP_TEST_TIMEOUT_MS = 120_000;

/** The mic control's state and playing flag each time they change, recorded in the page. */
const RECORD_MIC_CONTROL = `
  window.__mic = [];
  window.__transcripts = [];
  new MutationObserver(() => {
    const mic = document.querySelector('[data-testid="mic-control"]');
    if (mic) {
      const entry = mic.getAttribute('data-state') + '/' + mic.getAttribute('data-playing');
      if (window.__mic.at(-1) !== entry) window.__mic.push(entry);
    }
    const transcript = document.querySelector('[data-testid="voice-transcript"]');
    if (transcript) {
      const entry = (transcript.classList.contains('voice-transcript-partial') ? 'partial:' : 'final:') + transcript.textContent;
      if (window.__transcripts.at(-1) !== entry) window.__transcripts.push(entry);
    }
  }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
`;


describe('the voice loop in the console: a fake microphone asks, the agent answers aloud, and is interrupted', () => {
  let dir: string;
  let microphone: SpokenLoop;
  let llm: ScriptedOpenAiServer;
  let stt: FakeTranscriptionServer;
  let server: ServerProcess;
  let browser: Browser;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'parley-voice-loop-'));
    // Silence first: the fake device starts playing when Chromium opens it, before the console's
    // worklet and socket are ready, and the opening words must not be lost. Then the speech, then
    // silence long enough for the VAD (500 ms) to end the utterance and for an answer to be
    // transcribed (whisper.cpp on a busy two-core machine) and spoken before the loop asks again.
    microphone = writeSpokenLoopWav(dir, QUESTION, { leadMs: 1500, trailMs: 9000 });
    llm = await startScriptedOpenAiServer({ models: ['scripted-model'], whenEmpty: reply.text(LONG_ANSWER, { firstTokenDelayMs: 200, chunkDelayMs: 150 }) });
    stt = await startFakeTranscriptionServer();
    stt.answer = { text: HEARD };
    server = await startServerProcess();
    await callServerMethod(server, 'providers.save', { id: 'scripted', kind: 'custom', name: 'Scripted', baseUrl: llm.baseUrl, maxRetries: 0 });
    await callServerMethod(server, 'settings.set', { key: 'agent.console.model', value: { providerId: 'scripted', model: 'scripted-model' } });
    await callServerMethod(server, 'providers.save', { id: 'transcriber', kind: 'custom', name: 'Transcriber', baseUrl: stt.baseUrl, maxRetries: 0 });
    browser = await launchChromium([
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-audio-capture=${microphone.path}`,
      '--autoplay-policy=no-user-gesture-required',
    ]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await llm?.close();
    await stt?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function openConsole(): Promise<{ context: BrowserContext; page: Page; log: VoiceSocketLog; errors: string[] }> {
    const context = await browser.newContext({ permissions: ['microphone'], viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors = watchPageErrors(page);
    const log = await recordVoiceTraffic(page);
    await page.addInitScript(RECORD_MIC_CONTROL);
    await page.goto(server.consoleUrl);
    await expect.poll(() => page.getByTestId('connection-indicator').textContent()).toContain('Connected');
    await page.getByRole('navigation', { name: 'Panels' }).getByRole('button', { name: 'Conversation' }).click();
    return { context, page, log, errors };
  }

  function startVoiceButton(page: Page) {
    return page.getByTestId('mic-control').getByRole('button', { name: 'Start voice' });
  }

  async function startHandsFree(page: Page): Promise<void> {
    const mic = page.getByTestId('mic-control');
    await mic.getByLabel('Voice mode').selectOption('hands-free');
    await startVoiceButton(page).click();
    await expect.poll(() => mic.getByRole('button', { name: 'Mute' }).count(), { timeout: 15_000 }).toBe(1);
  }

  it('with no speech recognition set up yet, Start voice says what to do and lets go of the microphone', async () => {
    const { context, page, log } = await openConsole();
    const mic = page.getByTestId('mic-control');
    await startVoiceButton(page).click();
    const alert = page.getByRole('alert').filter({ hasText: 'No speech recognition model is installed yet' });
    await expect.poll(() => alert.count(), { timeout: 15_000 }).toBe(1);
    expect(await alert.textContent()).toMatch(/Download a Whisper model in the Voice panel/);
    await expect.poll(() => mic.getByRole('button', { name: 'Start voice' }).isEnabled()).toBe(true);
    expect(await mic.getAttribute('data-state')).toBe('off');
    expect(log.captureFrames).toEqual([]);
    // The first use of local recognition offers the download: the toast leads to the model manager.
    await alert.getByRole('button', { name: 'Get a speech model' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Voice', level: 1 }).isVisible()).toBe(true);
    await expect.poll(() => page.getByRole('button', { name: /Download/ }).count()).toBeGreaterThan(0);
    await context.close();
  });

  it(
    'hands-free with a remote transcriber: the question appears, the agent answers in the thread and aloud, and the next question stops it (barge-in)',
    async () => {
      await callServerMethod(server, 'settings.set', { key: 'voice.stt.engine', value: 'remote' });
      await callServerMethod(server, 'settings.set', { key: 'voice.stt.remote', value: { providerId: 'transcriber', model: 'whisper-1' } });
      const { context, page, log, errors } = await openConsole();
      const mic = page.getByTestId('mic-control');
      await startHandsFree(page);

      // The user "speaks": the transcript appears in the mic control, partial first, then final.
      const transcript = mic.getByTestId('voice-transcript');
      await expect.poll(() => transcript.textContent(), { timeout: 30_000 }).toBe(HEARD);
      await expect.poll(() => page.evaluate<string[]>('window.__transcripts'), { timeout: 30_000 }).toContain(`final:${HEARD}`);
      const shown = await page.evaluate<string[]>('window.__transcripts');
      expect(shown.indexOf(`partial:${HEARD}`)).toBeGreaterThanOrEqual(0);
      expect(shown.indexOf(`partial:${HEARD}`)).toBeLessThan(shown.indexOf(`final:${HEARD}`));
      // What reached the transcriber was the microphone's speech, at 16 kHz.
      expect(stt.received.at(-1)?.wav.sampleRate).toBe(16_000);
      expect(stt.received.at(-1)!.wav.samples.length / 16_000).toBeGreaterThan(microphone.speechSeconds * 0.8);

      // The agent answers in the thread, as a typed question would be.
      await expect.poll(() => page.getByTestId('user-message').first().textContent(), { timeout: 15_000 }).toBe(HEARD);
      await expect.poll(() => page.getByTestId('answer').first().textContent(), { timeout: 15_000 }).toContain('Paris weather note 1');
      // ...and aloud: the mic control says it is speaking, and the worklet is playing.
      await expect.poll(() => mic.getAttribute('data-state'), { timeout: 15_000 }).toBe('speaking');
      await expect.poll(() => mic.getAttribute('data-playing'), { timeout: 15_000 }).toBe('true');
      expect(await mic.getByRole('button', { name: 'Stop answer' }).count()).toBe(1);
      await expect.poll(() => mic.getByTestId('voice-latency').count(), { timeout: 15_000 }).toBe(1);
      expect(await mic.getByTestId('voice-latency').textContent()).toMatch(/total/);

      // The microphone loops: the question comes again while the answer is spoken, and stops it.
      await expect
        .poll(() => loggedEvents(log, 'voice.playback', log.streamId).find((data) => data.action === 'stop'), { timeout: microphone.loopSeconds * 2000 + 10_000 })
        .toMatchObject({ reason: 'barge-in' });
      await expect.poll(() => page.getByText('Stopped before the answer was complete.').count(), { timeout: 15_000 }).toBeGreaterThan(0);
      const micHistory = await page.evaluate<string[]>('window.__mic');
      const spokeAt = micHistory.indexOf('speaking/true');
      expect(spokeAt).toBeGreaterThanOrEqual(0);
      // After speaking, the control went back to hearing the user, not to the end of the answer.
      expect(micHistory.slice(spokeAt + 1).some((entry) => entry.startsWith('listening') || entry.startsWith('transcribing'))).toBe(true);
      // The interrupting question is asked in turn and answered.
      await expect.poll(() => page.getByTestId('user-message').count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
      await expect.poll(() => mic.getAttribute('data-playing'), { timeout: 30_000 }).toBe('true');

      await mkdir(TEST_OUTPUT_DIR, { recursive: true });
      await page.screenshot({ path: join(TEST_OUTPUT_DIR, 'voice-loop.png'), fullPage: true });

      await mic.getByRole('button', { name: 'Stop voice' }).click();
      await expect.poll(() => mic.getByRole('button', { name: 'Start voice' }).count()).toBe(1);
      await expect.poll(() => mic.getAttribute('data-playing')).toBe('false');
      expect(loggedEvents(log, 'voice.error')).toEqual([]);
      expect(errors).toEqual([]);
      await context.close();
    },
    LOOP_TEST_TIMEOUT_MS,
  );

  it(
    'hands-free with local whisper.cpp (a generated model): its transcript appears and the agent answers aloud',
    async () => {
      const { model } = (await callServerMethod(server, 'speech.models.registerCustom', { kind: 'whisper', path: await testModelPath() })) as { model: { id: string } };
      await callServerMethod(server, 'settings.set', { key: 'voice.stt.engine', value: 'whisper-local' });
      await callServerMethod(server, 'settings.set', { key: 'voice.stt.model', value: model.id });
      llm.enqueue(reply.text('I heard something. Here is a short answer.'));
      const { context, page, log, errors } = await openConsole();
      const mic = page.getByTestId('mic-control');
      await page.getByRole('complementary', { name: 'Conversations' }).getByRole('button', { name: 'New', exact: true }).click();
      await expect.poll(() => page.getByTestId('user-message').count()).toBe(0);
      await startHandsFree(page);

      // The random-weight model writes a known text whatever it hears: the real engine ran.
      await expect.poll(() => mic.getByTestId('voice-transcript').textContent(), { timeout: 60_000 }).toBe(TEST_MODEL_TEXT);
      await expect.poll(() => page.getByTestId('user-message').last().textContent(), { timeout: 30_000 }).toBe(TEST_MODEL_TEXT);
      await expect.poll(() => page.getByTestId('answer').last().textContent(), { timeout: 30_000 }).toContain('Here is a short answer.');
      await expect.poll(() => mic.getAttribute('data-state'), { timeout: 30_000 }).toBe('speaking');
      await expect.poll(() => log.playbackFrames, { timeout: 30_000 }).toBeGreaterThan(0);

      await mic.getByRole('button', { name: 'Stop voice' }).click();
      await expect.poll(() => mic.getByRole('button', { name: 'Start voice' }).count()).toBe(1);
      expect(loggedEvents(log, 'voice.error')).toEqual([]);
      expect(errors).toEqual([]);
      await context.close();
    },
    LOOP_TEST_TIMEOUT_MS,
  );
});
