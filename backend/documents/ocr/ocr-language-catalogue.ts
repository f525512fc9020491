/**
 * Languages offered for OCR besides English, with the SHA-256 and size of their tessdata_fast
 * models (`4.0.0_best_int/<code>.traineddata.gz` of the @tesseract.js-data/<code>@1.0.0 npm
 * packages, which the default CDN serves unchanged). A code not listed here installs too, given
 * its checksum.
 */
export interface CatalogueLanguage {
  name: string;
  sha256?: string;
  sizeBytes?: number;
}

export const BUNDLED_OCR_LANGUAGE = 'eng';

export const OCR_LANGUAGE_CATALOGUE: Readonly<Record<string, CatalogueLanguage>> = {
  eng: { name: 'English' },
  deu: { name: 'German', sha256: '306c4280d0cbed46fbff727486bd43b92730181bae80f56941a091f363bdf28b', sizeBytes: 1_333_102 },
  fra: { name: 'French', sha256: 'd611139672b3752c7097e671e4a1d9209dfd37f2aeb081ef6487fba3351e9255', sizeBytes: 707_406 },
  spa: { name: 'Spanish', sha256: '40be52f97b5d4eb7460073dc1f94cd546b27150333c0bf854ed7e7132db6bceb', sizeBytes: 2_100_190 },
};
