/** What an avatar file turned out to be, read from its header only. */
export interface ImageInfo {
  mime: 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp';
  ext: 'png' | 'jpg' | 'gif' | 'webp';
  width: number;
  height: number;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Recognises PNG, JPEG, GIF and WebP by their magic bytes and reads the pixel size from the header, without
 * decoding the picture. Anything else, a truncated header or a zero size is `undefined`.
 */
export function readImage(data: Buffer): ImageInfo | undefined {
  const info = png(data) ?? jpeg(data) ?? gif(data) ?? webp(data);
  return info && info.width > 0 && info.height > 0 ? info : undefined;
}

function png(d: Buffer): ImageInfo | undefined {
  if (d.length < 24 || !d.subarray(0, 8).equals(PNG_SIGNATURE) || d.toString('latin1', 12, 16) !== 'IHDR') return;
  return { mime: 'image/png', ext: 'png', width: d.readUInt32BE(16), height: d.readUInt32BE(20) };
}

function gif(d: Buffer): ImageInfo | undefined {
  const magic = d.toString('latin1', 0, 6);
  if (d.length < 10 || (magic !== 'GIF87a' && magic !== 'GIF89a')) return;
  return { mime: 'image/gif', ext: 'gif', width: d.readUInt16LE(6), height: d.readUInt16LE(8) };
}

// JPEG: walk the marker segments up to the first start-of-frame (SOF0–SOF15 except DHT C4, JPG C8, DAC CC).
function jpeg(d: Buffer): ImageInfo | undefined {
  if (d.length < 4 || d[0] !== 0xff || d[1] !== 0xd8 || d[2] !== 0xff) return;
  let at = 2;
  while (at + 4 <= d.length) {
    if (d[at] !== 0xff) return;
    const marker = d[at + 1];
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      at += 2; // markers without a length
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return; // end of image or scan data before any frame header
    const length = d.readUInt16BE(at + 2);
    if (length < 2) return;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (at + 9 > d.length) return;
      return { mime: 'image/jpeg', ext: 'jpg', width: d.readUInt16BE(at + 7), height: d.readUInt16BE(at + 5) };
    }
    at += 2 + length;
  }
  return;
}

// WebP: a RIFF container whose first chunk is VP8 (lossy), VP8L (lossless) or VP8X (extended).
function webp(d: Buffer): ImageInfo | undefined {
  if (d.length < 30 || d.toString('latin1', 0, 4) !== 'RIFF' || d.toString('latin1', 8, 12) !== 'WEBP') return;
  const chunk = d.toString('latin1', 12, 16);
  const base = { mime: 'image/webp', ext: 'webp' } as const;
  if (chunk === 'VP8 ') {
    if (d[23] !== 0x9d || d[24] !== 0x01 || d[25] !== 0x2a) return;
    return { ...base, width: d.readUInt16LE(26) & 0x3fff, height: d.readUInt16LE(28) & 0x3fff };
  }
  if (chunk === 'VP8L') {
    if (d[20] !== 0x2f) return;
    const bits = d.readUInt32LE(21);
    return { ...base, width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8X') return { ...base, width: d.readUIntLE(24, 3) + 1, height: d.readUIntLE(27, 3) + 1 };
  return;
}
