import { PIPER_BOS, PIPER_EOS, PIPER_PAD } from './piper-voice-config';

export interface PhonemeIds {
  ids: number[];
  /** Phonemes the voice has no id for, skipped (as piper does), with how often each occurred. */
  missing: Map<string, number>;
}

/**
 * A sentence's phonemes → the model's input ids, exactly as piper-phonemize does it: BOS, a pad,
 * then each phoneme's ids followed by a pad, then EOS ("^ _ h _ ə _ … $"). Phonemes are single
 * code points after NFD normalisation, which splits accents into base letter + combining mark.
 */
export function phonemesToIds(phonemes: string, idMap: Record<string, number[]>): PhonemeIds {
  const pad = idMap[PIPER_PAD]!;
  const ids = [...idMap[PIPER_BOS]!, ...pad];
  const missing = new Map<string, number>();
  for (const phoneme of phonemes.normalize('NFD')) {
    const mapped = idMap[phoneme];
    if (!mapped) {
      missing.set(phoneme, (missing.get(phoneme) ?? 0) + 1);
      continue;
    }
    ids.push(...mapped, ...pad);
  }
  ids.push(...idMap[PIPER_EOS]!);
  return { ids, missing };
}
