/**
 * Audio codecs for speech: WAV in and out, resampling, Ogg Opus in and out (WhatsApp voice notes,
 * uploads, `/v1/audio/speech`), WebM Opus in (browsers' MediaRecorder), MP3 in (libmpg123 as WASM).
 * Everything here is mono; multi-channel input is averaged on decode.
 */
export type { FloatAudio, Pcm16Audio } from './audio-types';
export { AudioFormatError } from './audio-format-error';
export { applyGain, downmixToMono, durationSeconds, floatToPcm16, pcm16ToFloat, rms, toFloatAudio, toPcm16Audio } from './pcm-samples';
export { encodeWav } from './wav-encode';
export { decodeWav } from './wav-decode';
export { resample, type ResampleMethod } from './resample';
export { encodeOggOpus, type OggOpusOptions } from './ogg-opus-encode';
export { decodeOggOpus } from './ogg-opus-decode';
export { decodeWebmOpus } from './webm-opus-decode';
export { readWebm, type WebmContents, type WebmFrame, type WebmTrack } from './webm-demux';
export { decodeMp3 } from './mp3-decode';
export { scanMpegFrames, parseMpegFrameHeader, type MpegAudioStream, type MpegFrameHeader } from './mp3-frames';
export { decodeAudioFile, sniffAudioContainer, type AudioContainer } from './decode-audio-file';
export { readOggStreams, type OggLogicalStream } from './ogg-page-reader';
export { OggPageWriter } from './ogg-page-writer';
export { oggCrc32 } from './ogg-crc32';
