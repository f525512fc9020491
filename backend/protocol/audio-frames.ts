/**
 * Binary socket frames are reserved for audio, so a voice stream never pays for JSON.
 * Layout (little endian): u8 version | u8 frame kind | u16 reserved | u32 stream id | payload.
 * PCM payloads are 16-bit signed mono at the stream's declared sample rate.
 */
export const AUDIO_FRAME_VERSION = 1;
export const AUDIO_FRAME_HEADER_BYTES = 8;

export const AudioFrameKind = {
  /** Microphone PCM from the renderer to the backend. */
  capturePcm: 1,
  /** Synthesised PCM from the backend to the renderer. */
  playbackPcm: 2,
} as const;
export type AudioFrameKind = (typeof AudioFrameKind)[keyof typeof AudioFrameKind];

export interface AudioFrame {
  kind: AudioFrameKind;
  streamId: number;
  payload: Uint8Array;
}

export function encodeAudioFrame(frame: AudioFrame): Uint8Array {
  const bytes = new Uint8Array(AUDIO_FRAME_HEADER_BYTES + frame.payload.byteLength);
  const view = new DataView(bytes.buffer);
  view.setUint8(0, AUDIO_FRAME_VERSION);
  view.setUint8(1, frame.kind);
  view.setUint32(4, frame.streamId, true);
  bytes.set(frame.payload, AUDIO_FRAME_HEADER_BYTES);
  return bytes;
}

/** Returns null for a frame that is too short, of another version or of an unknown kind. */
export function decodeAudioFrame(bytes: Uint8Array): AudioFrame | null {
  if (bytes.byteLength < AUDIO_FRAME_HEADER_BYTES) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint8(0) !== AUDIO_FRAME_VERSION) return null;
  const kind = view.getUint8(1);
  if (kind !== AudioFrameKind.capturePcm && kind !== AudioFrameKind.playbackPcm) return null;
  return { kind, streamId: view.getUint32(4, true), payload: bytes.subarray(AUDIO_FRAME_HEADER_BYTES) };
}
