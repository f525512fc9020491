import type { CatalogueEntry } from './model-types';

export const WHISPER_BASE_URL = 'https://huggingface.co/ggerganov/whisper.cpp/resolve/main';

type WhisperSize = 'tiny' | 'base' | 'small';
type Quantisation = 'q5_1' | 'q8_0';

/**
 * Sizes and SHA-256 of the files in the ggerganov/whisper.cpp Hugging Face repository: the git-LFS
 * object ids (which are the SHA-256 of the content) and sizes the Hugging Face API reports for them
 * (`/api/models/ggerganov/whisper.cpp?blobs=true`, revision 5359861c739e955e79d9a303bcbc70fb988958b1),
 * checked against independent catalogues that pin the same files. whisper.cpp's models/README only
 * publishes SHA-1 values, and only some; these supersede them.
 */
const PUBLISHED: Record<string, { bytes: number; sha256: string }> = {
  'tiny': { bytes: 77_691_713, sha256: 'be07e048e1e599ad46341c8d2a135645097a538221678b7acdd1b1919c6e1b21' },
  'tiny-q5_1': { bytes: 32_152_673, sha256: '818710568da3ca15689e31a743197b520007872ff9576237bda97bd1b469c3d7' },
  'tiny-q8_0': { bytes: 43_537_433, sha256: 'c2085835d3f50733e2ff6e4b41ae8a2b8d8110461e18821b09a15c40c42d1cca' },
  'tiny.en': { bytes: 77_704_715, sha256: '921e4cf8686fdd993dcd081a5da5b6c365bfde1162e72b08d75ac75289920b1f' },
  'tiny.en-q5_1': { bytes: 32_166_155, sha256: 'c77c5766f1cef09b6b7d47f21b546cbddd4157886b3b5d6d4f709e91e66c7c2b' },
  'tiny.en-q8_0': { bytes: 43_550_795, sha256: '5bc2b3860aa151a4c6e7bb095e1fcce7cf12c7b020ca08dcec0c6d018bb7dd94' },
  'base': { bytes: 147_951_465, sha256: '60ed5bc3dd14eea856493d334349b405782ddcaf0028d4b5df4088345fba2efe' },
  'base-q5_1': { bytes: 59_707_625, sha256: '422f1ae452ade6f30a004d7e5c6a43195e4433bc370bf23fac9cc591f01a8898' },
  'base-q8_0': { bytes: 81_768_585, sha256: 'c577b9a86e7e048a0b7eada054f4dd79a56bbfa911fbdacf900ac5b567cbb7d9' },
  'base.en': { bytes: 147_964_211, sha256: 'a03779c86df3323075f5e796cb2ce5029f00ec8869eee3fdfb897afe36c6d002' },
  'base.en-q5_1': { bytes: 59_721_011, sha256: '4baf70dd0d7c4247ba2b81fafd9c01005ac77c2f9ef064e00dcf195d0e2fdd2f' },
  'base.en-q8_0': { bytes: 81_781_811, sha256: 'a4d4a0768075e13cfd7e19df3ae2dbc4a68d37d36a7dad45e8410c9a34f8c87e' },
  'small': { bytes: 487_601_967, sha256: '1be3a9b2063867b937e64e2ec7483364a79917e157fa98c5d94b5c1fffea987b' },
  'small-q5_1': { bytes: 190_085_487, sha256: 'ae85e4a935d7a567bd102fe55afc16bb595bdb618e11b2fc7591bc08120411bb' },
  'small-q8_0': { bytes: 264_464_607, sha256: '49c8fb02b65e6049d5fa6c04f81f53b867b5ec9540406812c643f177317f779f' },
  'small.en': { bytes: 487_614_201, sha256: 'c6138d6d58ecc8322097e0f987c32f1be8bb0a18532a3f88f734d1bbf9c41e5d' },
  'small.en-q5_1': { bytes: 190_098_681, sha256: 'bfdff4894dcb76bbf647d56263ea2a96645423f1669176f4844a1bf8e478ad30' },
  'small.en-q8_0': { bytes: 264_477_561, sha256: '67a179f608ea6114bd3fdb9060e762b588a3fb3bd00c4387971be4d177958067' },
};

const SIZE_LABELS: Record<WhisperSize, string> = { tiny: 'Tiny', base: 'Base', small: 'Small' };

/** tiny, base and small; English-only and multilingual; full precision and the q5_1 and q8_0 quantisations. */
export function whisperCatalogue(baseUrl: string = WHISPER_BASE_URL): CatalogueEntry[] {
  const entries: CatalogueEntry[] = [];
  for (const size of ['tiny', 'base', 'small'] as const) {
    for (const englishOnly of [true, false]) {
      for (const quantisation of [undefined, 'q5_1', 'q8_0'] as const) {
        entries.push(whisperEntry(size, englishOnly, quantisation, baseUrl));
      }
    }
  }
  return entries;
}

function whisperEntry(size: WhisperSize, englishOnly: boolean, quantisation: Quantisation | undefined, baseUrl: string): CatalogueEntry {
  const name = `${size}${englishOnly ? '.en' : ''}${quantisation ? `-${quantisation}` : ''}`;
  const published = PUBLISHED[name];
  if (!published) throw new Error(`No published size for whisper model ${name}`);
  const fileName = `ggml-${name}.bin`;
  return {
    id: `whisper:${name}`,
    kind: 'whisper',
    label: `Whisper ${SIZE_LABELS[size]}${englishOnly ? ' (English)' : ''}${quantisation ? ` ${quantisation}` : ''}`,
    language: englishOnly ? 'en' : 'multilingual',
    ...(quantisation ? { quantisation } : {}),
    files: [{ fileName, url: `${trimSlash(baseUrl)}/${fileName}`, bytes: published.bytes, approxBytes: published.bytes, sha256: published.sha256 }],
    approxBytes: published.bytes,
  };
}

export function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
