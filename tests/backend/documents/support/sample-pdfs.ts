/**
 * The PDFs the documents tests upload, built with the test's own PDF writer so each test knows
 * exactly which words are on which page.
 */
import { createCanvas } from '@napi-rs/canvas';
import { A4, flowText, writePdf, type PdfPageSpec } from './pdf-writer';

export const WARRANTY_SENTENCE = 'Every boiler carries a warranty of seven years on the heat exchanger.';
export const DELIVERY_SENTENCE = 'Delivery within the city takes two working days after payment.';

/** Three pages: a heading and one fact each, known by page. */
export function multiPagePdf(): Buffer {
  return writePdf([
    { texts: [{ x: 72, y: 780, text: 'Heating price list 2026', size: 18 }, ...flowText('Condensing boilers start at 1890 euros installed.', { x: 72, top: 740, width: 450 })] },
    { texts: flowText(`Guarantees. ${WARRANTY_SENTENCE} Service visits are yearly.`, { x: 72, top: 780, width: 450 }) },
    { texts: flowText(`Shipping. ${DELIVERY_SENTENCE}`, { x: 72, top: 780, width: 450 }) },
  ]);
}

export const LEFT_COLUMN = 'The left column explains the refund policy: customers may return unused radiators within thirty days and receive the full price back on the card they paid with.';
export const RIGHT_COLUMN = 'The right column covers installation: a certified fitter connects the boiler, tests the flue and registers the appliance with the manufacturer the same day.';

/**
 * A page set in two columns whose lines are written interleaved (left line 1, right line 1, left
 * line 2...), as many layout programs emit them: only a reader that finds the columns gets each
 * paragraph back in one piece.
 */
export function twoColumnPdf(): Buffer {
  const left = flowText(LEFT_COLUMN, { x: 50, top: 740, width: 230 });
  const right = flowText(RIGHT_COLUMN, { x: 315, top: 740, width: 230 });
  const interleaved = [];
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    if (left[i]) interleaved.push(left[i]!);
    if (right[i]) interleaved.push(right[i]!);
  }
  return writePdf([{ texts: [{ x: 50, y: 790, text: 'Customer handbook, chapter 4: Refunds and installation', size: 14 }, ...interleaved, { x: 50, y: 60, text: 'Page footer that spans the full width of the page text area', size: 10 }] }]);
}

export const TABLE_ROWS = [
  ['Model', 'Output', 'Price'],
  ['Aquatherm 24', '24 kW', '1890 EUR'],
  ['Aquatherm 30', '30 kW', '2240 EUR'],
  ['Thermoplus 35', '35 kW', '2675 EUR'],
];

/** A price table: three narrow columns of cells, one row per line. */
export function tablePdf(): Buffer {
  const texts = [{ x: 72, y: 780, text: 'Boiler price table', size: 16 }];
  TABLE_ROWS.forEach((row, r) => row.forEach((cell, c) => texts.push({ x: 72 + c * 130, y: 740 - r * 20, text: cell, size: 11 })));
  return writePdf([{ texts }]);
}

export const RUSSIAN_SENTENCE = 'Гарантия на котёл составляет пять лет';
export const GREEK_SENTENCE = 'Η εγγύηση του λέβητα είναι πέντε χρόνια';

/** Page 1 in Russian, page 2 in Greek. */
export function nonLatinPdf(): Buffer {
  return writePdf([{ texts: [{ x: 72, y: 760, text: RUSSIAN_SENTENCE }] }, { texts: [{ x: 72, y: 760, text: GREEK_SENTENCE }] }]);
}

export function encryptedPdf(password: string): Buffer {
  return writePdf([{ texts: flowText('Confidential staff discount: twenty percent on spare parts.', { x: 72, top: 760, width: 450 }) }], { userPassword: password });
}

export function zeroPagePdf(): Buffer {
  return writePdf([]);
}

/** The first half of a valid PDF: no cross-reference table, no trailer, objects cut off. */
export function truncatedPdf(): Buffer {
  const whole = multiPagePdf();
  return whole.subarray(0, Math.floor(whole.length / 3));
}

export const SCANNED_LINES = ['Scanned notice', 'The boiler room key hangs', 'behind the reception desk'];

/** A page of text rendered as an image (a scan: no text layer), embedded as JPEG. */
export async function scannedPage(lines: readonly string[] = SCANNED_LINES): Promise<PdfPageSpec> {
  const width = 1400;
  const height = 140 + lines.length * 90;
  const canvas = createCanvas(width, height);
  const context = canvas.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, width, height);
  context.fillStyle = '#000000';
  context.font = '56px sans-serif';
  lines.forEach((line, index) => context.fillText(line, 60, 110 + index * 90));
  const jpeg = await canvas.encode('jpeg', 92);
  const placedWidth = A4.width - 100;
  const placedHeight = (placedWidth * height) / width;
  return { images: [{ jpeg, pixelWidth: width, pixelHeight: height, x: 50, y: A4.height - 60 - placedHeight, width: placedWidth, height: placedHeight }] };
}

/** Page 1 typed, page 2 scanned. */
export async function scannedPdf(): Promise<Buffer> {
  return writePdf([{ texts: [{ x: 72, y: 760, text: 'Typed cover page of the facilities handbook' }] }, await scannedPage()]);
}
