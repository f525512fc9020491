import { CAPTURE_SAMPLE_RATE } from '#protocol';
import { isDesktopApp } from '../connection';
import { audioContext, loadWorklet, WORKLET_URLS } from './audio-context';
import { describeMicrophoneError } from './microphone-errors';
import { CAPTURE_PROCESSOR, type CaptureCommand, type CaptureMessage, type CaptureOptions } from './worklet-messages';

/** 512 samples = 32 ms at 16 kHz: one Silero VAD window, so the backend never re-buffers. */
export const CAPTURE_CHUNK_SAMPLES = 512;

export interface CaptureHandlers {
  /** 16 kHz mono PCM16, CAPTURE_CHUNK_SAMPLES at a time (shorter after flush()). */
  onChunk(pcm: Int16Array): void;
  /** The device went away (unplugged, or the permission was revoked). */
  onEnded(): void;
}

/** An open microphone: echo cancellation, noise suppression and gain control on, resampled in a worklet. */
export class MicrophoneCapture {
  private flushWaiters: Array<() => void> = [];
  private closed = false;

  private constructor(
    private readonly stream: MediaStream,
    private readonly source: MediaStreamAudioSourceNode,
    private readonly node: AudioWorkletNode,
    handlers: CaptureHandlers,
  ) {
    node.port.onmessage = (event: MessageEvent<CaptureMessage>) => {
      if (this.closed) return;
      if (event.data.type === 'chunk') handlers.onChunk(event.data.pcm);
      else this.resolveFlush();
    };
    for (const track of stream.getAudioTracks()) {
      track.onended = () => {
        if (!this.closed) handlers.onEnded();
      };
    }
  }

  /** Opens the device (null: the system default). Throws a ParleyError that says what to do. */
  static async open(deviceId: string | null, handlers: CaptureHandlers): Promise<MicrophoneCapture> {
    const context = audioContext();
    const worklet = loadWorklet(context, WORKLET_URLS.capture);
    worklet.catch(() => undefined); // awaited below, after the permission prompt
    let stream: MediaStream;
    try {
      if (!navigator.mediaDevices?.getUserMedia) throw new DOMException('No mediaDevices', 'SecurityError');
      stream = await navigator.mediaDevices.getUserMedia({
        audio: {
          ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
          channelCount: 1,
          echoCancellation: true,
          noiseSuppression: true,
          autoGainControl: true,
        },
      });
    } catch (error) {
      throw describeMicrophoneError(error, { desktop: isDesktopApp(), secureContext: window.isSecureContext });
    }
    try {
      await worklet;
      const source = context.createMediaStreamSource(stream);
      const node = new AudioWorkletNode(context, CAPTURE_PROCESSOR, {
        numberOfInputs: 1,
        numberOfOutputs: 0,
        // Web Audio downmixes a stereo device to the one channel the worklet reads.
        channelCount: 1,
        channelCountMode: 'explicit',
        channelInterpretation: 'speakers',
        processorOptions: { outputRate: CAPTURE_SAMPLE_RATE, chunkSamples: CAPTURE_CHUNK_SAMPLES } satisfies CaptureOptions,
      });
      source.connect(node);
      return new MicrophoneCapture(stream, source, node, handlers);
    } catch (error) {
      for (const track of stream.getTracks()) track.stop();
      throw error;
    }
  }

  get deviceLabel(): string {
    return this.stream.getAudioTracks()[0]?.label ?? '';
  }

  /** Emits the partial chunk the worklet holds; resolves once it went through onChunk. */
  flush(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.flushWaiters.push(resolve);
      this.node.port.postMessage({ type: 'flush' } satisfies CaptureCommand);
    });
  }

  /** Releases the device (the system's microphone indicator goes off). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.source.disconnect();
    this.node.port.onmessage = null;
    this.node.disconnect();
    for (const track of this.stream.getTracks()) track.stop();
    this.resolveFlush();
  }

  private resolveFlush(): void {
    const waiters = this.flushWaiters;
    this.flushWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

/** Opens the microphone chosen on this machine, or the default one when it is no longer connected. */
export async function openChosenMicrophone(chosenId: string | null, handlers: CaptureHandlers): Promise<MicrophoneCapture> {
  try {
    return await MicrophoneCapture.open(chosenId, handlers);
  } catch (error) {
    const name = ((error as { cause?: { name?: unknown } }).cause ?? {}).name;
    if (chosenId && (name === 'OverconstrainedError' || name === 'NotFoundError')) return MicrophoneCapture.open(null, handlers);
    throw error;
  }
}
