import { ParleyError } from '#protocol';
import { audioContext, loadWorklet, WORKLET_URLS } from './audio-context';
import { PLAYBACK_PROCESSOR, type PlaybackCommand, type PlaybackMessage } from './worklet-messages';

/** Volume changes glide over ~20 ms instead of stepping (a step clicks). */
const VOLUME_TIME_CONSTANT = 0.02;

/**
 * The agent's voice: PCM16 frames into a playback worklet whose queue can be dropped within a
 * few milliseconds (barge-in), through one gain node for the volume setting. Previews of the
 * configured voice go through the same gain.
 */
export class VoicePlayer {
  private node: AudioWorkletNode | null = null;
  private gain: GainNode | null = null;
  private ready: Promise<AudioWorkletNode> | null = null;
  private preview: AudioBufferSourceNode | null = null;
  private volume = 1;

  constructor(private readonly onPlaying: (playing: boolean) => void) {}

  /** Builds the graph; call from a user gesture the first time (see audioContext()). */
  prepare(): Promise<AudioWorkletNode> {
    this.ready ??= this.build().catch((error: unknown) => {
      this.ready = null;
      throw error;
    });
    return this.ready;
  }

  start(sampleRate: number): void {
    this.send({ type: 'start', sampleRate });
  }

  push(pcm: Int16Array): void {
    this.send({ type: 'pcm', pcm }, [pcm.buffer]);
  }

  /** All audio was sent: let the queue play out. */
  end(): void {
    this.send({ type: 'end' });
  }

  /** Drops everything queued now (barge-in, interrupt). */
  stop(): void {
    this.send({ type: 'stop' });
    this.stopPreview();
  }

  setVolume(volume: number): void {
    this.volume = volume;
    if (this.gain) this.gain.gain.setTargetAtTime(volume, this.gain.context.currentTime, VOLUME_TIME_CONSTANT);
  }

  /** Plays a WAV (the synthesised preview); resolves when it has finished or was stopped. */
  async playWav(bytes: Uint8Array<ArrayBuffer>): Promise<void> {
    await this.prepare();
    const context = audioContext();
    let buffer: AudioBuffer;
    try {
      buffer = await context.decodeAudioData(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    } catch (error) {
      throw new ParleyError('internal', 'The synthesised audio could not be decoded', { cause: error });
    }
    this.stopPreview();
    const source = context.createBufferSource();
    source.buffer = buffer;
    source.connect(this.gain!);
    this.preview = source;
    await new Promise<void>((resolve) => {
      source.onended = () => resolve();
      source.start();
    });
    if (this.preview === source) this.preview = null;
  }

  stopPreview(): void {
    this.preview?.stop();
    this.preview = null;
  }

  private async build(): Promise<AudioWorkletNode> {
    const context = audioContext();
    await loadWorklet(context, WORKLET_URLS.playback);
    const gain = context.createGain();
    gain.gain.value = this.volume;
    gain.connect(context.destination);
    const node = new AudioWorkletNode(context, PLAYBACK_PROCESSOR, { numberOfInputs: 0, numberOfOutputs: 1, outputChannelCount: [1] });
    node.port.onmessage = (event: MessageEvent<PlaybackMessage>) => this.onPlaying(event.data.playing);
    node.connect(gain);
    this.gain = gain;
    this.node = node;
    return node;
  }

  private send(command: PlaybackCommand, transfer: Transferable[] = []): void {
    if (this.node) {
      this.node.port.postMessage(command, transfer);
      return;
    }
    // Frames that arrive while the worklet loads keep their order behind the load.
    void this.prepare()
      .then((node) => node.port.postMessage(command, transfer))
      .catch(() => undefined);
  }
}
