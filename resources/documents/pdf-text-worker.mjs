// Runs in a worker thread: opens one PDF with pdf.js and sends its text page by page, so a large or
// hostile file never blocks the backend's event loop. Plain JavaScript on purpose: the backend is
// bundled into one file, and a worker needs a file of its own that loads without a build step.
// Messages out: {type:'opened', pages} · {type:'page', page, items, image?} · {type:'done'} ·
// {type:'failed', reason:'password'|'invalid'|'error', message}.
import { parentPort, workerData } from 'node:worker_threads';
import { createCanvas } from '@napi-rs/canvas';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

const { bytes, password, standardFontDataUrl, renderBlankPages, renderScale } = workerData;

/** A page with fewer visible characters than this has no usable text layer: a scan. */
const MIN_TEXT_CHARS = 8;

async function main() {
  let pdf;
  try {
    pdf = await getDocument({
      data: bytes,
      password: password || undefined,
      standardFontDataUrl,
      useSystemFonts: false,
      isEvalSupported: false,
      verbosity: 0,
    }).promise;
  } catch (error) {
    const name = error?.name ?? '';
    const reason = name === 'PasswordException' ? 'password' : name === 'InvalidPDFException' ? 'invalid' : 'error';
    parentPort.postMessage({ type: 'failed', reason, message: String(error?.message ?? error) });
    return;
  }
  parentPort.postMessage({ type: 'opened', pages: pdf.numPages });
  for (let pageNumber = 1; pageNumber <= pdf.numPages; pageNumber++) {
    const page = await pdf.getPage(pageNumber);
    const content = await page.getTextContent();
    // [text, x, y, width, height]: the layout the backend orders into reading order.
    const items = [];
    let visible = 0;
    for (const item of content.items) {
      if (typeof item.str !== 'string' || item.str.length === 0) continue;
      items.push([item.str, item.transform[4], item.transform[5], item.width, item.height || Math.abs(item.transform[3])]);
      visible += item.str.replace(/\s/g, '').length;
    }
    let image;
    if (renderBlankPages && visible < MIN_TEXT_CHARS) image = await renderPng(page);
    parentPort.postMessage({ type: 'page', page: pageNumber, width: page.view[2] - page.view[0], height: page.view[3] - page.view[1], items, image }, image ? [image.buffer] : []);
    page.cleanup();
  }
  parentPort.postMessage({ type: 'done' });
  await pdf.destroy();
}

/** The page as a PNG for OCR (pdf.js draws on @napi-rs/canvas under Node). */
async function renderPng(page) {
  const viewport = page.getViewport({ scale: renderScale });
  const canvas = createCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height));
  const context = canvas.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  await page.render({ canvasContext: context, canvas, viewport }).promise;
  const png = canvas.toBuffer('image/png');
  return new Uint8Array(png.buffer.slice(png.byteOffset, png.byteOffset + png.byteLength));
}

main().catch((error) => {
  parentPort.postMessage({ type: 'failed', reason: 'error', message: String(error?.message ?? error) });
});
