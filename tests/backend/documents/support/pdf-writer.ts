/**
 * A small PDF writer for the tests: real PDF files, built in the test, whose text and page layout
 * the test knows exactly. Text is set in a Type0 font (Identity-H, two bytes per UTF-16 code unit)
 * with a ToUnicode map, so any script (Cyrillic, Greek, CJK) extracts as the Unicode it was written
 * with; images are embedded as JPEG (DCTDecode) for scanned pages. Optional RC4 40-bit encryption
 * (the standard security handler, revision 2) makes a password-protected file.
 */
import { createHash } from 'node:crypto';

export interface PdfTextRun {
  /** Baseline origin in points from the bottom-left corner. */
  x: number;
  y: number;
  text: string;
  size?: number;
}

export interface PdfImagePlacement {
  /** A baseline JPEG file's bytes. */
  jpeg: Uint8Array;
  pixelWidth: number;
  pixelHeight: number;
  /** Where it goes on the page, in points. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PdfPageSpec {
  texts?: PdfTextRun[];
  images?: PdfImagePlacement[];
  /** Points; A4 portrait by default. */
  width?: number;
  height?: number;
}

export interface PdfWriteOptions {
  /** Encrypts the file so that it opens only with this password. */
  userPassword?: string;
}

/** Every glyph is half an em wide (the font's /DW 500): layouts in the tests can rely on it. */
export const GLYPH_WIDTH_EM = 0.5;
export const A4 = { width: 595, height: 842 } as const;

export function writePdf(pages: readonly PdfPageSpec[], options: PdfWriteOptions = {}): Buffer {
  const objects: Array<string | { dict: string; stream: Buffer }> = [];
  const reserve = (): number => objects.push('') ;
  const set = (id: number, value: string | { dict: string; stream: Buffer }) => {
    objects[id - 1] = value;
  };

  const catalogId = reserve();
  const pagesId = reserve();
  const fontId = reserve();
  const cidFontId = reserve();
  const toUnicodeId = reserve();
  set(catalogId, `<< /Type /Catalog /Pages ${pagesId} 0 R >>`);
  set(fontId, `<< /Type /Font /Subtype /Type0 /BaseFont /Helvetica /Encoding /Identity-H /DescendantFonts [${cidFontId} 0 R] /ToUnicode ${toUnicodeId} 0 R >>`);
  set(cidFontId, `<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Helvetica /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW ${GLYPH_WIDTH_EM * 1000} /CIDToGIDMap /Identity >>`);
  set(toUnicodeId, { dict: '<< >>', stream: Buffer.from(identityToUnicodeCMap(), 'latin1') });

  const pageIds: number[] = [];
  for (const page of pages) {
    const pageId = reserve();
    const contentId = reserve();
    const imageRefs: string[] = [];
    let content = '';
    (page.images ?? []).forEach((image, index) => {
      const imageId = reserve();
      set(imageId, {
        dict: `<< /Type /XObject /Subtype /Image /Width ${image.pixelWidth} /Height ${image.pixelHeight} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode >>`,
        stream: Buffer.from(image.jpeg),
      });
      imageRefs.push(`/Im${index} ${imageId} 0 R`);
      content += `q ${image.width} 0 0 ${image.height} ${image.x} ${image.y} cm /Im${index} Do Q\n`;
    });
    for (const run of page.texts ?? []) {
      content += `BT /F1 ${run.size ?? 12} Tf 1 0 0 1 ${run.x} ${run.y} Tm <${utf16Hex(run.text)}> Tj ET\n`;
    }
    const width = page.width ?? A4.width;
    const height = page.height ?? A4.height;
    const xObjects = imageRefs.length ? ` /XObject << ${imageRefs.join(' ')} >>` : '';
    set(pageId, `<< /Type /Page /Parent ${pagesId} 0 R /MediaBox [0 0 ${width} ${height}] /Resources << /Font << /F1 ${fontId} 0 R >>${xObjects} >> /Contents ${contentId} 0 R >>`);
    set(contentId, { dict: '<< >>', stream: Buffer.from(content, 'latin1') });
    pageIds.push(pageId);
  }
  set(pagesId, `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pageIds.length} >>`);

  const fileId = createHash('md5').update(`parley-test-${pages.length}-${Math.random()}`).digest();
  const encryption = options.userPassword !== undefined ? standardSecurityR2(options.userPassword, fileId) : undefined;

  const chunks: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let offset = chunks[0]!.length;
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    const id = index + 1;
    offsets.push(offset);
    let body: Buffer;
    if (typeof object === 'string') {
      body = Buffer.from(`${id} 0 obj\n${object}\nendobj\n`, 'latin1');
    } else {
      const data = encryption ? rc4(encryption.objectKey(id), object.stream) : object.stream;
      const dict = object.dict.replace(/>>$/, `/Length ${data.length} >>`);
      body = Buffer.concat([Buffer.from(`${id} 0 obj\n${dict}\nstream\n`, 'latin1'), data, Buffer.from('\nendstream\nendobj\n', 'latin1')]);
    }
    chunks.push(body);
    offset += body.length;
  });

  let trailerExtra = '';
  if (encryption) {
    const encryptId = objects.length + 1;
    offsets.push(offset);
    const body = Buffer.from(`${encryptId} 0 obj\n${encryption.dict}\nendobj\n`, 'latin1');
    chunks.push(body);
    offset += body.length;
    trailerExtra = ` /Encrypt ${encryptId} 0 R`;
  }
  const count = offsets.length + 1;
  let xref = `xref\n0 ${count}\n0000000000 65535 f \n`;
  for (const at of offsets) xref += `${String(at).padStart(10, '0')} 00000 n \n`;
  const hexId = fileId.toString('hex');
  xref += `trailer\n<< /Size ${count} /Root ${catalogId} 0 R /ID [<${hexId}> <${hexId}>]${trailerExtra} >>\nstartxref\n${offset}\n%%EOF\n`;
  chunks.push(Buffer.from(xref, 'latin1'));
  return Buffer.concat(chunks);
}

/** Lays out words in lines that fit `width` points, starting at (x, top), `leading` apart. */
export function flowText(text: string, box: { x: number; top: number; width: number; size?: number; leading?: number }): PdfTextRun[] {
  const size = box.size ?? 11;
  const leading = box.leading ?? size * 1.4;
  const maxChars = Math.floor(box.width / (size * GLYPH_WIDTH_EM));
  const runs: PdfTextRun[] = [];
  let line = '';
  const flush = () => {
    if (!line) return;
    runs.push({ x: box.x, y: box.top - runs.length * leading, text: line, size });
    line = '';
  };
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > maxChars) flush();
    line = line ? `${line} ${word}` : word;
  }
  flush();
  return runs;
}

function utf16Hex(text: string): string {
  let hex = '';
  for (let i = 0; i < text.length; i++) hex += text.charCodeAt(i).toString(16).padStart(4, '0');
  return hex;
}

/** CID n → U+n for the whole BMP (bfrange may only vary the last byte, hence 256 ranges). */
function identityToUnicodeCMap(): string {
  const ranges: string[] = [];
  for (let high = 0; high < 256; high++) {
    const h = high.toString(16).padStart(2, '0');
    ranges.push(`<${h}00> <${h}ff> <${h}00>`);
  }
  const blocks: string[] = [];
  for (let i = 0; i < ranges.length; i += 100) {
    const slice = ranges.slice(i, i + 100);
    blocks.push(`${slice.length} beginbfrange\n${slice.join('\n')}\nendbfrange`);
  }
  return [
    '/CIDInit /ProcSet findresource begin',
    '12 dict begin',
    'begincmap',
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
    '/CMapName /Adobe-Identity-UCS def',
    '/CMapType 2 def',
    '1 begincodespacerange\n<0000> <ffff>\nendcodespacerange',
    ...blocks,
    'endcmap',
    'CMapName currentdict /CMap defineresource pop',
    'end',
    'end',
  ].join('\n');
}

const PASSWORD_PADDING = Buffer.from('28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a', 'hex');

function padPassword(password: string): Buffer {
  return Buffer.concat([Buffer.from(password, 'latin1'), PASSWORD_PADDING]).subarray(0, 32);
}

/** The standard security handler, revision 2 (RC4, 40-bit key), as in ISO 32000-1 §7.6.3. */
function standardSecurityR2(userPassword: string, fileId: Buffer) {
  const permissions = -4; // every permission
  const ownerKey = createHash('md5').update(padPassword(`${userPassword}-owner`)).digest().subarray(0, 5);
  const ownerEntry = rc4(ownerKey, padPassword(userPassword));
  const p = Buffer.alloc(4);
  p.writeInt32LE(permissions);
  const key = createHash('md5').update(Buffer.concat([padPassword(userPassword), ownerEntry, p, fileId])).digest().subarray(0, 5);
  const userEntry = rc4(key, PASSWORD_PADDING);
  return {
    dict: `<< /Filter /Standard /V 1 /R 2 /Length 40 /O <${ownerEntry.toString('hex')}> /U <${userEntry.toString('hex')}> /P ${permissions} >>`,
    objectKey(objectId: number): Buffer {
      const salt = Buffer.from([objectId & 0xff, (objectId >> 8) & 0xff, (objectId >> 16) & 0xff, 0, 0]);
      return createHash('md5').update(Buffer.concat([key, salt])).digest().subarray(0, 10);
    },
  };
}

function rc4(key: Buffer, data: Buffer): Buffer {
  const s = new Uint8Array(256).map((_, i) => i);
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i]! + key[i % key.length]!) & 0xff;
    [s[i], s[j]] = [s[j]!, s[i]!];
  }
  const out = Buffer.alloc(data.length);
  for (let n = 0, i = 0, j = 0; n < data.length; n++) {
    i = (i + 1) & 0xff;
    j = (j + s[i]!) & 0xff;
    [s[i], s[j]] = [s[j]!, s[i]!];
    out[n] = data[n]! ^ s[(s[i]! + s[j]!) & 0xff]!;
  }
  return out;
}
