import type { CatalogueEntry } from './model-types';
import { trimSlash } from './whisper-catalogue';

export const PIPER_BASE_URL = 'https://huggingface.co/rhasspy/piper-voices/resolve/main';

interface PiperVoice {
  /** `en_US`: language family, underscore, region. */
  locale: string;
  name: string;
  quality: 'x_low' | 'low' | 'medium' | 'high';
  label: string;
}

const VOICES: readonly PiperVoice[] = [
  { locale: 'en_US', name: 'lessac', quality: 'medium', label: 'Lessac (US English)' },
  { locale: 'en_GB', name: 'alan', quality: 'medium', label: 'Alan (British English)' },
  { locale: 'de_DE', name: 'thorsten', quality: 'medium', label: 'Thorsten (German)' },
  { locale: 'fr_FR', name: 'siwis', quality: 'medium', label: 'Siwis (French)' },
  { locale: 'es_ES', name: 'davefx', quality: 'medium', label: 'Davefx (Spanish)' },
];

/**
 * Approximate only. Medium-quality Piper networks share one architecture, so their `.onnx` files are
 * all close to 63 MB (voices.json lists 63,201,294 bytes for the ones checked); the configs are ~5 KB.
 * The piper-voices repository publishes MD5s, not SHA-256, so these files are verified against the
 * size the server announces, not a checksum.
 */
const APPROX_MEDIUM_ONNX_BYTES = 63_200_000;
const APPROX_CONFIG_BYTES = 5_000;

/** A handful of Piper voices, one per language Parley is most likely to speak. */
export function piperCatalogue(baseUrl: string = PIPER_BASE_URL): CatalogueEntry[] {
  return VOICES.map((voice) => {
    const key = `${voice.locale}-${voice.name}-${voice.quality}`;
    const family = voice.locale.split('_')[0]!;
    const folder = `${trimSlash(baseUrl)}/${family}/${voice.locale}/${voice.name}/${voice.quality}`;
    return {
      id: `piper:${key}`,
      kind: 'piper',
      label: voice.label,
      language: voice.locale,
      files: [
        { fileName: `${key}.onnx`, url: `${folder}/${key}.onnx`, approxBytes: APPROX_MEDIUM_ONNX_BYTES },
        { fileName: `${key}.onnx.json`, url: `${folder}/${key}.onnx.json`, approxBytes: APPROX_CONFIG_BYTES },
      ],
      approxBytes: APPROX_MEDIUM_ONNX_BYTES + APPROX_CONFIG_BYTES,
    };
  });
}
