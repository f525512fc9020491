// Writes the WAV variants Parley must read (what sox, browsers, phones and TTS servers produce),
// independently of Parley's writer, so the reader is checked against files it did not write.

export interface WavVariant {
  /** 1 PCM, 3 IEEE float, 17 IMA ADPCM (unsupported), 0xfffe WAVE_FORMAT_EXTENSIBLE. */
  formatTag: number;
  /** For WAVE_FORMAT_EXTENSIBLE: the sub-format in the GUID's first two bytes. */
  subFormat?: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
}

/** `frames[channel][i]` floats in [-1, 1] → a WAV of that variant, with a LIST chunk before the data as many writers add. */
export function buildWav(variant: WavVariant, channels: readonly Float32Array[]): Uint8Array {
  const bytesPerSample = variant.bitsPerSample / 8;
  const frames = channels[0]!.length;
  const blockAlign = variant.channels * bytesPerSample;
  const extensible = variant.formatTag === 0xfffe;
  const fmtSize = extensible ? 40 : 16;
  const list = [0x4c, 0x49, 0x53, 0x54, 4, 0, 0, 0, 0x49, 0x4e, 0x46, 0x4f]; // "LIST", 4, "INFO"
  const dataSize = frames * blockAlign;
  const total = 12 + 8 + fmtSize + list.length + 8 + dataSize + (dataSize % 2);
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  const ascii = (at: number, text: string) => [...text].forEach((char, i) => (bytes[at + i] = char.charCodeAt(0)));
  ascii(0, 'RIFF');
  view.setUint32(4, total - 8, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, fmtSize, true);
  view.setUint16(20, variant.formatTag, true);
  view.setUint16(22, variant.channels, true);
  view.setUint32(24, variant.sampleRate, true);
  view.setUint32(28, variant.sampleRate * blockAlign, true);
  view.setUint16(32, blockAlign, true);
  view.setUint16(34, variant.bitsPerSample, true);
  if (extensible) {
    view.setUint16(36, 22, true); // cbSize
    view.setUint16(38, variant.bitsPerSample, true); // valid bits
    view.setUint32(40, 0, true); // channel mask
    view.setUint16(44, variant.subFormat ?? 1, true); // GUID …-0000-0010-8000-00aa00389b71, first two bytes
  }
  let at = 20 + fmtSize;
  bytes.set(list, at);
  at += list.length;
  ascii(at, 'data');
  view.setUint32(at + 4, dataSize, true);
  at += 8;
  for (let frame = 0; frame < frames; frame++) {
    for (let channel = 0; channel < variant.channels; channel++) {
      writeSample(view, at, channels[channel % channels.length]![frame]!, variant);
      at += bytesPerSample;
    }
  }
  return bytes;
}

function writeSample(view: DataView, at: number, value: number, variant: WavVariant): void {
  const float = variant.formatTag === 3 || (variant.formatTag === 0xfffe && variant.subFormat === 3);
  if (float) {
    if (variant.bitsPerSample === 32) view.setFloat32(at, value, true);
    else view.setFloat64(at, value, true);
    return;
  }
  const clip = (max: number) => Math.max(-max, Math.min(max - 1, Math.round(value * max)));
  switch (variant.bitsPerSample) {
    case 8:
      view.setUint8(at, clip(128) + 128); // 8-bit WAV is unsigned, centred on 128
      break;
    case 16:
      view.setInt16(at, clip(32768), true);
      break;
    case 24: {
      const sample = clip(8388608);
      view.setUint8(at, sample & 0xff);
      view.setUint8(at + 1, (sample >> 8) & 0xff);
      view.setInt8(at + 2, sample >> 16);
      break;
    }
    default:
      view.setInt32(at, clip(2147483648), true);
  }
}
