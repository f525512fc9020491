import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type * as OnnxRuntime from 'onnxruntime-node';
import type { InferenceSession } from 'onnxruntime-node';
import { ParleyError } from '#protocol';
import { floatToPcm16 } from '#audio';
import { EspeakPhonemizer, type Phonemizer } from './espeak-phonemizer';
import { phonemesToIds } from './piper-phoneme-ids';
import { parsePiperVoiceConfig, type PiperVoiceConfig } from './piper-voice-config';
import { checkSpeed, checkVolume, throwIfAborted, withVolume } from './synthesis-options';
import type { SynthesisOptions, SynthesizedSpeech, TextToSpeechEngine, Voice } from './text-to-speech-engine';

export interface PiperEngineOptions {
  /** The voice network, e.g. `en_US-lessac-medium.onnx`. */
  modelPath: string;
  /** Its config; `<modelPath>.json` when omitted, as Piper names them. */
  configPath?: string;
  /** espeak-ng (WASM) unless a test or another phonemizer is given. */
  phonemizer?: Phonemizer;
  /** onnxruntime threads for one inference; the default leaves a core for speech recognition. */
  threads?: number;
}

/** Piper inserts this much silence between the sentences of one request. */
const SENTENCE_SILENCE_SECONDS = 0.2;
const REQUIRED_INPUTS = ['input', 'input_lengths', 'scales'];

/**
 * A Piper voice (VITS exported to ONNX) run with onnxruntime-node: text → espeak-ng IPA per sentence
 * → ids from the voice's phoneme_id_map → `input`, `input_lengths`, `scales` [noise, length, noise_w]
 * (and `sid` for multi-speaker voices) → float audio at the config's sample rate. Speed divides the
 * length scale; like Piper, each sentence is normalised to full scale before the volume applies.
 */
export class PiperEngine implements TextToSpeechEngine {
  readonly id = 'piper';

  private constructor(
    private readonly ort: typeof OnnxRuntime,
    private readonly session: InferenceSession,
    readonly config: PiperVoiceConfig,
    private readonly voiceName: string,
    private readonly phonemizer: Phonemizer,
  ) {}

  static async load(options: PiperEngineOptions): Promise<PiperEngine> {
    const configPath = options.configPath ?? `${options.modelPath}.json`;
    const config = parsePiperVoiceConfig(await readFile(configPath, 'utf8'), path.basename(configPath));
    const ort = await import('onnxruntime-node');
    // Read the bytes ourselves: Electron's fs reads inside an asar archive, onnxruntime's native loader cannot.
    const bytes = await readFile(options.modelPath);
    const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: options.threads ?? 1, interOpNumThreads: 1 });
    for (const name of REQUIRED_INPUTS) {
      if (!session.inputNames.includes(name)) {
        await session.release();
        throw new ParleyError('invalid_params', `${path.basename(options.modelPath)} is not a Piper voice (no input "${name}")`);
      }
    }
    const voiceName = config.dataset ?? path.basename(options.modelPath).replace(/\.onnx$/, '');
    return new PiperEngine(ort, session, config, voiceName, options.phonemizer ?? new EspeakPhonemizer());
  }

  /** One voice per speaker of a multi-speaker model, else the model itself. */
  async voices(): Promise<Voice[]> {
    const language = this.config.language?.code ?? this.config.espeak.voice;
    const speakers = Object.keys(this.config.speaker_id_map);
    if (this.config.num_speakers > 1 && speakers.length > 0) return speakers.map((speaker) => ({ id: speaker, name: speaker, language }));
    return [{ id: this.voiceName, name: this.voiceName, language }];
  }

  async synthesize(text: string, options: SynthesisOptions = {}): Promise<SynthesizedSpeech> {
    const speed = checkSpeed(options.speed);
    const volume = checkVolume(options.volume);
    const speaker = this.speakerId(options.voice);
    throwIfAborted(options.signal);
    const sentences = await this.phonemizer.phonemize(text, this.config.espeak.voice);
    const sampleRate = this.config.audio.sample_rate;
    const chunks: Float32Array[] = [];
    for (const [index, phonemes] of sentences.entries()) {
      throwIfAborted(options.signal);
      if (index > 0) chunks.push(new Float32Array(Math.round(SENTENCE_SILENCE_SECONDS * sampleRate)));
      chunks.push(normalise(await this.infer(phonemesToIds(phonemes, this.config.phoneme_id_map).ids, speed, speaker)));
    }
    throwIfAborted(options.signal);
    return withVolume({ pcm: floatToPcm16(concat(chunks)), sampleRate }, volume);
  }

  async release(): Promise<void> {
    await this.session.release();
  }

  private speakerId(voice: string | undefined): number | undefined {
    if (this.config.num_speakers <= 1) {
      if (voice !== undefined && voice !== this.voiceName) throw new ParleyError('invalid_params', `Piper voice ${this.voiceName} has no voice "${voice}"`);
      return undefined;
    }
    if (voice === undefined) return 0;
    const id = this.config.speaker_id_map[voice];
    if (id === undefined) throw new ParleyError('invalid_params', `Piper voice ${this.voiceName} has no speaker "${voice}"`);
    return id;
  }

  private async infer(ids: number[], speed: number, speaker: number | undefined): Promise<Float32Array> {
    const { Tensor } = this.ort;
    const { noise_scale, length_scale, noise_w } = this.config.inference;
    const feeds: Record<string, OnnxRuntime.Tensor> = {
      input: new Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]),
      input_lengths: new Tensor('int64', BigInt64Array.of(BigInt(ids.length)), [1]),
      scales: new Tensor('float32', Float32Array.of(noise_scale, length_scale / speed, noise_w), [3]),
    };
    if (speaker !== undefined && this.session.inputNames.includes('sid')) feeds['sid'] = new Tensor('int64', BigInt64Array.of(BigInt(speaker)), [1]);
    const results = await this.session.run(feeds);
    const output = results[this.session.outputNames[0]!];
    if (!output || !(output.data instanceof Float32Array)) throw new Error('The Piper voice returned no float audio');
    return output.data;
  }
}

/** Piper's own scaling: the loudest sample to full scale (never amplifying by more than 100×). */
function normalise(audio: Float32Array): Float32Array {
  let peak = 0.01;
  for (const sample of audio) peak = Math.max(peak, Math.abs(sample));
  const gain = 1 / peak;
  return audio.map((sample) => sample * gain);
}

function concat(chunks: Float32Array[]): Float32Array {
  const result = new Float32Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    result.set(chunk, at);
    at += chunk.length;
  }
  return result;
}
