import { splitClauses, type Clause } from './clause-split';
import { loadEspeakRuntime, type EspeakWasmRuntime } from './espeak-wasm-runtime';

/** Text → phonemes, one string per sentence: what a Piper voice's phoneme_id_map is keyed by. */
export interface Phonemizer {
  /** `voice` is the voice config's `espeak.voice` ("en-us", "de"...). */
  phonemize(text: string, voice: string): Promise<string[]>;
}

const INPUT_PATH = '/tmp/parley-phonemes-input.txt';
const OUTPUT_PATH = '/tmp/parley-phonemes.txt';

/**
 * IPA from the same espeak-ng (WASM) that speaks, as Piper's own phonemizer (piper-phonemize, which
 * links libespeak-ng) produces it: each clause's phonemes followed by its punctuation, clauses of a
 * sentence joined by a space. espeak-ng's command line writes one line per clause and drops the
 * punctuation, so the clauses are cut here, phonemised in one run, and matched line for line; if
 * espeak-ng cut a clause further (it splits after "Dr."), each clause is phonemised on its own.
 */
export class EspeakPhonemizer implements Phonemizer {
  async phonemize(text: string, voice: string): Promise<string[]> {
    const clauses = splitClauses(text);
    if (clauses.length === 0) return [];
    const runtime = await loadEspeakRuntime();
    let lines = phonemeLines(runtime, clauses.map((clause) => clause.text + clause.terminator).join('\n\n'), voice);
    if (lines.length !== clauses.length) lines = clauses.map((clause) => phonemeLines(runtime, clause.text, voice).join(' '));
    return sentences(clauses, lines);
  }
}

function phonemeLines(runtime: EspeakWasmRuntime, text: string, voice: string): string[] {
  const result = runtime.run(['-q', '--ipa', '-v', voice, '--phonout', OUTPUT_PATH, '-f', INPUT_PATH], { inputs: { [INPUT_PATH]: text }, outputs: [OUTPUT_PATH] });
  const output = result.outputs.get(OUTPUT_PATH);
  if (result.exitCode !== 0 || !output) {
    throw new Error(`espeak-ng could not phonemise for voice "${voice}": ${result.stderr[0] ?? `exit status ${result.exitCode}`}`);
  }
  return Buffer.from(output)
    .toString('utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

function sentences(clauses: Clause[], lines: string[]): string[] {
  const result: string[] = [];
  let current = '';
  clauses.forEach((clause, index) => {
    const phonemes = lines[index] ?? '';
    if (phonemes) current += (current ? ' ' : '') + phonemes + clause.terminator;
    if (clause.endsSentence && current) {
      result.push(current);
      current = '';
    }
  });
  if (current) result.push(current);
  return result;
}
