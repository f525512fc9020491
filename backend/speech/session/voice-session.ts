import { randomUUID } from 'node:crypto';
import { CAPTURE_SAMPLE_RATE, ParleyError, type VoiceLatency, type VoiceMode, type VoiceState } from '#protocol';
import { PcmRing } from './pcm-ring';
import type { AgentTurnPort, SentenceStream, SpeechRecognizer, SpeechSynthesizer, UtteranceTranscription, VoiceActivity, VoiceOutput } from './ports';

const PRE_ROLL_MS = 300;
/** Playback frames of about 100 ms: small enough to stop quickly, large enough to keep frames few. */
const PLAYBACK_CHUNK_MS = 100;

export interface VoiceSessionOptions {
  streamId: number;
  conversationId: string;
  mode: VoiceMode;
  recognizer: SpeechRecognizer;
  synthesizer: SpeechSynthesizer;
  /** Hands-free mode hears the user (and barge-in) through it; push-to-talk only reports what it hears. */
  activity: VoiceActivity;
  createSentenceStream(): SentenceStream;
  toSpeakable(text: string): string;
  agent: AgentTurnPort;
  output: VoiceOutput;
  onError(error: unknown): void;
  now?: () => number;
}

interface Utterance {
  id: string;
  transcription: UtteranceTranscription;
}

interface RunningTurn {
  turnId: string;
  utteranceId: string;
  controller: AbortController;
  endOfSpeechAt: number;
  transcribedAt: number;
  firstTokenAt: number | undefined;
  firstAudioAt: number | undefined;
  latencySent: boolean;
  playbackEndsAt: number;
  playbackStarted: boolean;
}

/**
 * One capture stream's voice loop: utterance → transcript → agent turn → sentences spoken while
 * the agent still writes. The user speaking over the answer (barge-in) stops playback and the turn
 * at once and starts the next utterance.
 */
export class VoiceSession {
  private state: VoiceState = 'idle';
  /** The utterance being heard. */
  private utterance: Utterance | undefined;
  /** Utterances whose speech ended, being transcribed. */
  private readonly finishing = new Set<Utterance>();
  /**
   * What was said in utterances that ended while the user had already started the next one: the
   * question was said in two breaths, and is asked as one when the last of them ends.
   */
  private carried = '';
  private turn: RunningTurn | undefined;
  private playbackTimer: NodeJS.Timeout | undefined;
  private readonly preRoll = new PcmRing((CAPTURE_SAMPLE_RATE * PRE_ROLL_MS) / 1000);
  private readonly now: () => number;
  private closed = false;

  constructor(private readonly options: VoiceSessionOptions) {
    this.now = options.now ?? (() => performance.now());
    options.activity.onSpeechStart(() => this.onSpeechStart());
    options.activity.onSpeechEnd(() => {
      if (options.mode === 'hands-free') void this.endUtterance();
    });
    this.setState(options.mode === 'hands-free' ? 'listening' : 'idle');
  }

  get currentState(): VoiceState {
    return this.state;
  }

  receiveAudio(pcm: Int16Array): void {
    if (this.closed) return;
    // Push-to-talk: the press and the release, in order with the frames on the socket, bound the
    // utterance, so audio joins it as it arrives.
    if (this.options.mode === 'push-to-talk') this.hear(pcm);
    const analysed = this.options.activity.push(pcm);
    // Hands-free: the detector decides, and it may run behind the socket (a burst of frames after a
    // stall, a busy machine). Audio joins at the detector's pace: an utterance opened by its speech
    // start takes the pre-roll heard before this chunk, then this chunk; one its speech end closed
    // takes nothing more.
    if (this.options.mode === 'hands-free') void analysed.then(() => this.hear(pcm));
  }

  private hear(pcm: Int16Array): void {
    if (this.closed) return;
    this.preRoll.push(pcm);
    this.utterance?.transcription.push(pcm);
  }

  pushToTalk(pressed: boolean): void {
    if (pressed) {
      if (this.isAnswering()) this.stopTurn('barge-in');
      // Audio flows only while the key is held: what the detector heard last time is not continuous with this.
      this.options.activity.reset();
      this.beginUtterance();
    } else {
      // No frames follow a release, so the detector would never hear the silence that ends the
      // speech: end it now, and the console stops showing the user as speaking.
      this.options.activity.flush();
      void this.endUtterance();
    }
  }

  interrupt(): void {
    this.utterance?.transcription.cancel();
    this.utterance = undefined;
    // An utterance still being transcribed would start the answer that was just stopped.
    for (const finishing of this.finishing) finishing.transcription.cancel();
    this.finishing.clear();
    this.carried = '';
    this.stopTurn('interrupted');
    this.setState(this.options.mode === 'hands-free' ? 'listening' : 'idle');
  }

  close(): void {
    this.interrupt();
    this.closed = true;
    this.setState('idle');
  }

  private onSpeechStart(): void {
    // Push-to-talk: the press is the barge-in. The detector may still be catching up on the
    // utterance just released; its speech start must not cancel the answer to that very utterance.
    if (this.options.mode !== 'hands-free') return;
    if (this.isAnswering()) this.stopTurn('barge-in');
    this.beginUtterance();
  }

  private isAnswering(): boolean {
    return this.turn !== undefined;
  }

  private beginUtterance(): void {
    if (this.utterance) return;
    const id = randomUUID();
    const transcription = this.options.recognizer.startUtterance((text) =>
      this.options.output.event('voice.transcript', { streamId: this.options.streamId, utteranceId: id, text: joinSpeech(this.carried, text), final: false }),
    );
    transcription.push(this.preRoll.drain());
    this.utterance = { id, transcription };
    this.setState('listening');
  }

  private async endUtterance(): Promise<void> {
    const utterance = this.utterance;
    if (!utterance) return;
    this.utterance = undefined;
    this.finishing.add(utterance);
    const endOfSpeechAt = this.now();
    this.setState('transcribing');
    let heard: string;
    try {
      heard = (await utterance.transcription.finish()).trim();
    } catch (error) {
      if (!this.finishing.delete(utterance)) return; // cancelled by interrupt() or close()
      this.options.onError(error);
      if (!this.utterance) this.setState(this.idleState());
      return;
    }
    if (!this.finishing.delete(utterance) || this.closed) return;
    const text = joinSpeech(this.carried, heard);
    this.options.output.event('voice.transcript', { streamId: this.options.streamId, utteranceId: utterance.id, text, final: true });
    if (this.utterance) {
      // The user went on speaking before the answer began: the rest of the question is coming.
      this.carried = text;
      return;
    }
    this.carried = '';
    if (!text) {
      this.setState(this.idleState());
      return;
    }
    this.startTurn(utterance.id, text, endOfSpeechAt);
  }

  private startTurn(utteranceId: string, text: string, endOfSpeechAt: number): void {
    // One answer at a time: a turn still running is over once the user has asked something new.
    if (this.turn) this.stopTurn('barge-in');
    const turn: RunningTurn = {
      turnId: randomUUID(),
      utteranceId,
      controller: new AbortController(),
      endOfSpeechAt,
      transcribedAt: this.now(),
      firstTokenAt: undefined,
      firstAudioAt: undefined,
      latencySent: false,
      playbackEndsAt: 0,
      playbackStarted: false,
    };
    this.turn = turn;
    this.setState('thinking');
    const sentences = this.options.createSentenceStream();
    let speech = Promise.resolve();
    const speak = (sentence: string) => {
      const spoken = this.options.toSpeakable(sentence);
      if (spoken) speech = speech.then(() => this.speakSentence(turn, spoken));
    };
    void this.options.agent
      .run(this.options.conversationId, text, turn.turnId, turn.controller.signal, (delta) => {
        turn.firstTokenAt ??= this.now();
        for (const sentence of sentences.push(delta)) speak(sentence);
      })
      .then(async () => {
        for (const sentence of sentences.flush()) speak(sentence);
        await speech;
        if (this.turn !== turn) return;
        this.sendLatency(turn);
        this.finishWhenPlaybackEnds(turn);
      })
      .catch((error: unknown) => {
        if (turn.controller.signal.aborted) return;
        this.options.onError(error);
        if (this.turn === turn) this.endTurn('finished');
      });
  }

  private async speakSentence(turn: RunningTurn, text: string): Promise<void> {
    if (turn.controller.signal.aborted) return;
    let audio;
    try {
      audio = await this.options.synthesizer.synthesize(text, turn.controller.signal);
    } catch (error) {
      if (!turn.controller.signal.aborted) this.options.onError(error);
      return;
    }
    if (turn.controller.signal.aborted || this.turn !== turn) return;
    if (!turn.playbackStarted) {
      turn.playbackStarted = true;
      turn.firstAudioAt = this.now();
      this.options.output.event('voice.playback', { streamId: this.options.streamId, action: 'start', sampleRate: audio.sampleRate });
      this.options.activity.setPlaybackActive(true);
      this.sendLatency(turn);
      this.setState('speaking');
    }
    const chunk = Math.round((audio.sampleRate * PLAYBACK_CHUNK_MS) / 1000);
    for (let offset = 0; offset < audio.pcm.length; offset += chunk) this.options.output.audio(audio.pcm.subarray(offset, offset + chunk));
    const durationMs = (audio.pcm.length / audio.sampleRate) * 1000;
    turn.playbackEndsAt = Math.max(turn.playbackEndsAt, this.now()) + durationMs;
  }

  /** The console plays what it was sent in real time; the answer is over when that audio is. */
  private finishWhenPlaybackEnds(turn: RunningTurn): void {
    const remaining = Math.max(0, turn.playbackEndsAt - this.now());
    clearTimeout(this.playbackTimer);
    this.playbackTimer = setTimeout(() => {
      if (this.turn === turn) this.endTurn('finished');
    }, remaining);
  }

  private stopTurn(reason: 'barge-in' | 'interrupted'): void {
    const turn = this.turn;
    if (!turn) return;
    turn.controller.abort(new ParleyError('cancelled', reason === 'barge-in' ? 'The user spoke over the answer' : 'Stopped'));
    this.endTurn(reason);
  }

  private endTurn(reason: 'barge-in' | 'interrupted' | 'finished'): void {
    const turn = this.turn;
    this.turn = undefined;
    clearTimeout(this.playbackTimer);
    this.options.activity.setPlaybackActive(false);
    if (turn?.playbackStarted) this.options.output.event('voice.playback', { streamId: this.options.streamId, action: 'stop', reason });
    if (!this.utterance) this.setState(this.idleState());
  }

  private sendLatency(turn: RunningTurn): void {
    if (turn.latencySent) return;
    turn.latencySent = true;
    const latency: VoiceLatency = {
      transcribeMs: Math.round(turn.transcribedAt - turn.endOfSpeechAt),
      firstTokenMs: turn.firstTokenAt === undefined ? undefined : Math.round(turn.firstTokenAt - turn.transcribedAt),
      firstAudioMs: turn.firstAudioAt === undefined || turn.firstTokenAt === undefined ? undefined : Math.round(turn.firstAudioAt - turn.firstTokenAt),
      totalMs: turn.firstAudioAt === undefined ? undefined : Math.round(turn.firstAudioAt - turn.endOfSpeechAt),
    };
    this.options.output.event('voice.turn', { streamId: this.options.streamId, utteranceId: turn.utteranceId, turnId: turn.turnId, latency });
  }

  private idleState(): VoiceState {
    return this.options.mode === 'hands-free' ? 'listening' : 'idle';
  }

  private setState(state: VoiceState): void {
    if (this.state === state) return;
    this.state = state;
    this.options.output.event('voice.state', { streamId: this.options.streamId, state });
  }
}

/** Two stretches of one question, as the transcripts give them. */
function joinSpeech(before: string, after: string): string {
  return before && after ? `${before} ${after}` : before || after;
}
