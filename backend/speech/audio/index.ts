/**
 * Compressed audio for speech, Node side: Ogg Opus in and out (WhatsApp voice notes, uploads,
 * `/v1/audio/speech`), WebM Opus in (browsers' MediaRecorder), MP3 in (libmpg123 as WASM), and
 * {@link decodeAudioFile} for whichever of those or WAV an upload is. Everything here is mono;
 * multi-channel input is averaged on decode. PCM, WAV and resampling are `#audio` (backend/base/audio).
 */
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
