import { z } from 'zod';
import { ParleyError } from '#protocol';

/** The `.onnx.json` beside every Piper voice (fields as piper's training writes them). */
const piperVoiceConfigSchema = z.object({
  audio: z.object({ sample_rate: z.number().int().positive() }),
  espeak: z.object({ voice: z.string().min(1) }),
  inference: z
    .object({
      noise_scale: z.number().default(0.667),
      length_scale: z.number().positive().default(1),
      noise_w: z.number().default(0.8),
    })
    .default({ noise_scale: 0.667, length_scale: 1, noise_w: 0.8 }),
  phoneme_type: z.string().default('espeak'),
  phoneme_id_map: z.record(z.string(), z.array(z.number().int().nonnegative()).min(1)),
  num_speakers: z.number().int().positive().default(1),
  speaker_id_map: z.record(z.string(), z.number().int().nonnegative()).default({}),
  language: z.object({ code: z.string() }).optional(),
  dataset: z.string().optional(),
});

export type PiperVoiceConfig = z.infer<typeof piperVoiceConfigSchema>;

/** The symbols piper-phonemize puts around and between phonemes. */
export const PIPER_PAD = '_';
export const PIPER_BOS = '^';
export const PIPER_EOS = '$';

/** Validates a voice config; the message names the file and the first field that is wrong. */
export function parsePiperVoiceConfig(json: string, source: string): PiperVoiceConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new ParleyError('invalid_params', `${source} is not valid JSON`, { cause: error });
  }
  const parsed = piperVoiceConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ParleyError('invalid_params', `${source} is not a Piper voice config: ${issue.path.join('.') || 'root'}: ${issue.message}`);
  }
  const config = parsed.data;
  if (config.phoneme_type !== 'espeak') throw new ParleyError('invalid_params', `${source}: phoneme_type "${config.phoneme_type}" is not supported, only "espeak"`);
  for (const symbol of [PIPER_PAD, PIPER_BOS, PIPER_EOS]) {
    if (!config.phoneme_id_map[symbol]) throw new ParleyError('invalid_params', `${source}: phoneme_id_map has no "${symbol}"`);
  }
  return config;
}
