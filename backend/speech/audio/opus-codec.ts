import { createRequire } from 'node:module';

/**
 * libopus 1.4 compiled to WASM, from the `opusscript` package (MIT, libopus BSD). We drive its
 * native module directly instead of the package's `OpusScript` class: that class indexes its
 * Uint16 heap view with a byte address (so it writes PCM to twice the address it allocated) and
 * keeps views that go stale when the WASM memory grows. Here every call allocates correctly and
 * reads the heap views fresh.
 */
interface OpusNativeHandler {
  /** `samples` PCM16 values, stored one byte per uint16 slot (low, high, low, high...); repacked in place. */
  _encode(inputPointer: number, samples: number, outputPointer: number, frameSize: number): number;
  /** Writes `frames × channels` samples as one byte per int16 slot (low, high...); answers frames or an error < 0. */
  _decode(inputPointer: number, bytes: number, outputPointer: number): number;
  _encoder_ctl(request: number, argument: number): number;
  _decoder_ctl(request: number, argument: number): number;
}

interface OpusNativeModule {
  HEAPU8: Uint8Array;
  HEAP16: Int16Array;
  HEAPU16: Uint16Array;
  HEAP32: Int32Array;
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  OpusScriptHandler: { new (sampleRate: number, channels: number, application: number): OpusNativeHandler; destroy_handler(handler: OpusNativeHandler): void };
}

export type OpusSampleRate = 8000 | 12000 | 16000 | 24000 | 48000;

const APPLICATION = { voip: 2048, audio: 2049 } as const;
const OPUS_SET_BITRATE = 4002;
const OPUS_SET_COMPLEXITY = 4010;
const OPUS_SET_SIGNAL = 4024;
const OPUS_SIGNAL_VOICE = 3001;
const OPUS_GET_LOOKAHEAD = 4027;
const MAX_PACKET_BYTES = 1276 * 3;
/** 120 ms at 48 kHz, the longest frame an Opus packet can hold. */
export const OPUS_MAX_FRAME_SAMPLES = 5760;

const ERRORS: Record<number, string> = {
  [-1]: 'bad argument',
  [-2]: 'buffer too small',
  [-3]: 'internal error',
  [-4]: 'invalid packet',
  [-5]: 'unimplemented',
  [-6]: 'invalid state',
  [-7]: 'memory allocation failed',
};

let native: OpusNativeModule | undefined;

/** Instantiated on first use (synchronously: the module is ~300 KB of WASM), then shared. */
function opusNative(): OpusNativeModule {
  if (!native) {
    const require = createRequire(import.meta.url);
    const create = require('opusscript/build/opusscript_native_wasm.js') as () => OpusNativeModule;
    native = create();
  }
  return native;
}

function check(result: number, what: string): number {
  if (result < 0) throw new Error(`Opus ${what} failed: ${ERRORS[result] ?? `error ${result}`}`);
  return result;
}

export interface OpusEncoderOptions {
  sampleRate: OpusSampleRate;
  channels?: 1 | 2;
  /** Bits per second; WhatsApp voice notes are around 16-32 kbps. */
  bitrate?: number;
  /** `voip` favours speech intelligibility; `audio` favours fidelity. */
  application?: keyof typeof APPLICATION;
  /** 0-10: CPU spent per frame for quality; libopus defaults to 10. */
  complexity?: number;
}

/** One libopus encoder. Call {@link OpusEncoder.destroy} when done: WASM memory is not garbage collected. */
export class OpusEncoder {
  private readonly module = opusNative();
  private readonly handler: OpusNativeHandler;
  private readonly channels: number;
  private input = 0;
  private inputCapacity = 0;
  private readonly output: number;

  constructor(options: OpusEncoderOptions) {
    this.channels = options.channels ?? 1;
    const application = APPLICATION[options.application ?? 'voip'];
    this.handler = new this.module.OpusScriptHandler(options.sampleRate, this.channels, application);
    this.output = this.module._malloc(MAX_PACKET_BYTES);
    if (options.bitrate !== undefined) check(this.handler._encoder_ctl(OPUS_SET_BITRATE, Math.round(options.bitrate)), 'set bitrate');
    check(this.handler._encoder_ctl(OPUS_SET_COMPLEXITY, options.complexity ?? 10), 'set complexity');
    if (application === APPLICATION.voip) check(this.handler._encoder_ctl(OPUS_SET_SIGNAL, OPUS_SIGNAL_VOICE), 'set signal');
  }

  /** Samples the encoder delays its output by: the Ogg pre-skip (312 at 48 kHz for these settings). */
  lookahead(): number {
    const pointer = this.module._malloc(4);
    try {
      // GET requests take a pointer; in wasm32 a pointer is the same i32 the binding passes through.
      check(this.handler._encoder_ctl(OPUS_GET_LOOKAHEAD, pointer), 'get lookahead');
      return this.module.HEAP32[pointer >> 2]!;
    } finally {
      this.module._free(pointer);
    }
  }

  /** One frame (2.5-60 ms of interleaved PCM16, e.g. 960 samples = 20 ms at 48 kHz) → one Opus packet. */
  encode(frame: Int16Array): Uint8Array {
    const frameSize = frame.length / this.channels;
    if (this.inputCapacity < frame.length) {
      if (this.input) this.module._free(this.input);
      this.input = this.module._malloc(frame.length * 4);
      this.inputCapacity = frame.length;
    }
    const heap = this.module.HEAPU16;
    const base = this.input >> 1;
    for (let i = 0; i < frame.length; i++) {
      const value = frame[i]! & 0xffff;
      heap[base + 2 * i] = value & 0xff;
      heap[base + 2 * i + 1] = value >> 8;
    }
    const length = check(this.handler._encode(this.input, frame.length, this.output, frameSize), 'encode');
    return this.module.HEAPU8.slice(this.output, this.output + length);
  }

  destroy(): void {
    this.module.OpusScriptHandler.destroy_handler(this.handler);
    if (this.input) this.module._free(this.input);
    this.module._free(this.output);
  }
}

/** One libopus decoder at 48 kHz. Call {@link OpusDecoder.destroy} when done. */
export class OpusDecoder {
  private readonly module = opusNative();
  private readonly handler: OpusNativeHandler;
  private readonly input: number;
  private readonly output: number;

  constructor(readonly channels: 1 | 2) {
    this.handler = new this.module.OpusScriptHandler(48000, channels, APPLICATION.audio);
    this.input = this.module._malloc(MAX_PACKET_BYTES);
    this.output = this.module._malloc(OPUS_MAX_FRAME_SAMPLES * channels * 4);
  }

  /** One Opus packet → interleaved PCM16 (up to 120 ms). */
  decode(packet: Uint8Array): Int16Array {
    if (packet.length > MAX_PACKET_BYTES) throw new Error(`Opus packet of ${packet.length} bytes is larger than any valid packet`);
    this.module.HEAPU8.set(packet, this.input);
    const frames = check(this.handler._decode(this.input, packet.length, this.output), 'decode');
    const heap = this.module.HEAP16;
    const base = this.output >> 1;
    const pcm = new Int16Array(frames * this.channels);
    for (let i = 0; i < pcm.length; i++) pcm[i] = (heap[base + 2 * i]! & 0xff) | (heap[base + 2 * i + 1]! << 8);
    return pcm;
  }

  destroy(): void {
    this.module.OpusScriptHandler.destroy_handler(this.handler);
    this.module._free(this.input);
    this.module._free(this.output);
  }
}
