import type { Voice } from './text-to-speech-engine';

/**
 * Parses `espeak-ng --voices`: a header line, then one voice a line as
 * `Pty Language Age/Gender VoiceName File Other-languages`. MBROLA voices (file `mb/...`) are left
 * out: the WASM build has no MBROLA, so they cannot speak.
 */
export function parseEspeakVoices(lines: string[]): Voice[] {
  const voices = new Map<string, Voice>();
  for (const line of lines) {
    const columns = line.trim().split(/\s+/);
    if (columns.length < 5 || !/^\d+$/.test(columns[0]!)) continue;
    const [, language, ageGender, name, file] = columns as [string, string, string, string, string];
    if (file.startsWith('mb/') || voices.has(language)) continue;
    const gender = ageGender.endsWith('/F') ? 'female' : ageGender.endsWith('/M') ? 'male' : undefined;
    voices.set(language, { id: language, name: name.replace(/_/g, ' '), language, ...(gender ? { gender } : {}) });
  }
  return [...voices.values()];
}
