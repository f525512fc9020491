import { ParleyError } from '#protocol';
import type { WhisperModelHeader } from './whisper-model-header';

/** The languages whisper knows, by the codes whisper.cpp accepts (its g_lang table). */
const WHISPER_LANGUAGES = new Set(
  (
    'en zh de es ru ko fr ja pt tr pl ca nl ar sv it id hi fi vi he uk el ms cs ro da hu ta no th ur hr bg lt la mi ml cy sk te ' +
    'fa lv bn sr az sl kn et mk br eu is hy ne mn bs kk sq sw gl mr pa si km sn yo so af oc ka be tg sd gu am yi lo uz fo ht ps ' +
    'tk nn mt sa lb my bo tl mg as tt haw ln ha ba jw su yue'
  ).split(' '),
);

/**
 * The language to hand whisper.cpp. An English-only model is always 'en': asking it to detect
 * would run the encoder a second time for nothing (detection is an extra encoder pass), and it
 * cannot write another language anyway. An unknown code is refused here: whisper.cpp would take
 * it as language -1 and build a nonsense prompt.
 */
export function whisperLanguage(requested: string | undefined, model: WhisperModelHeader): string {
  const language = (requested ?? 'auto').trim().toLowerCase();
  if (language !== 'auto' && !WHISPER_LANGUAGES.has(language)) {
    throw new ParleyError('invalid_params', `Whisper does not know the language '${requested}'`, {
      hint: "Use 'auto' or an ISO 639-1 code such as 'en' or 'de'.",
    });
  }
  if (!model.multilingual) return 'en';
  return language;
}
