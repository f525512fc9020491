import { open } from 'node:fs/promises';
import { ParleyError } from '#protocol';

const GGML_MAGIC = 0x67676d6c;
const HEADER_BYTES = 48;

/** The hparams at the start of a whisper.cpp ggml model file. */
export interface WhisperModelHeader {
  nVocab: number;
  nAudioCtx: number;
  nAudioState: number;
  nAudioLayer: number;
  nTextCtx: number;
  nTextLayer: number;
  /** English-only models (*.en) have 51864 tokens; they cannot detect or speak other languages. */
  multilingual: boolean;
}

/**
 * Read before handing the file to whisper.cpp, whose own failure is only "failed to initialize":
 * this says which file is missing or is not a model, and whether the model is English-only.
 */
export async function readWhisperModelHeader(modelPath: string): Promise<WhisperModelHeader> {
  let bytes: Buffer;
  try {
    const file = await open(modelPath, 'r');
    try {
      bytes = Buffer.alloc(HEADER_BYTES);
      const { bytesRead } = await file.read(bytes, 0, HEADER_BYTES, 0);
      bytes = bytes.subarray(0, bytesRead);
    } finally {
      await file.close();
    }
  } catch (error) {
    throw new ParleyError('not_found', `The Whisper model file ${modelPath} cannot be read`, {
      hint: 'Download a Whisper model again, or choose another one.',
      cause: error,
    });
  }
  if (bytes.length < HEADER_BYTES || bytes.readUInt32LE(0) !== GGML_MAGIC) {
    throw new ParleyError('invalid_params', `${modelPath} is not a whisper.cpp model`, {
      hint: 'Whisper models for Parley are ggml files such as ggml-base.en.bin.',
    });
  }
  const field = (index: number) => bytes.readInt32LE(4 + 4 * index);
  const nVocab = field(0);
  return {
    nVocab,
    nAudioCtx: field(1),
    nAudioState: field(2),
    nAudioLayer: field(4),
    nTextCtx: field(5),
    nTextLayer: field(8),
    multilingual: nVocab >= 51865,
  };
}
