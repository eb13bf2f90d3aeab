import { inflateSync } from 'node:zlib';

/** A PNG read back: its header and the size of the pixel data once inflated. */
export type DecodedPng = { width: number; height: number; bitDepth: number; colorType: number; pixelBytes: number };

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Channels per pixel by PNG colour type (grey, RGB, palette, grey+alpha, RGBA). */
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/**
 * Decodes a PNG far enough to trust it: the signature, the IHDR chunk first,
 * every chunk inside the file, and the IDAT stream inflating to exactly one
 * filter byte plus one row of pixels per line. Throws on anything else.
 */
export function decodePng(png: Buffer): DecodedPng {
  if (!png.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG: bad signature');
  let at = 8;
  let header: Omit<DecodedPng, 'pixelBytes'> | undefined;
  const idat: Buffer[] = [];
  let ended = false;
  while (at < png.length) {
    const length = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + length);
    if (data.length !== length) throw new Error(`chunk ${type} runs past the end of the file`);
    if (!header && type !== 'IHDR') throw new Error(`first chunk is ${type}, not IHDR`);
    if (type === 'IHDR') {
      header = {
        width: data.readUInt32BE(0),
        height: data.readUInt32BE(4),
        bitDepth: data.readUInt8(8),
        colorType: data.readUInt8(9),
      };
    }
    if (type === 'IDAT') idat.push(data);
    at += 12 + length;
    if (type === 'IEND') {
      ended = true;
      break;
    }
  }
  if (!header || !ended) throw new Error('PNG without IHDR or IEND');
  const channels = CHANNELS[header.colorType];
  if (!channels) throw new Error(`unknown colour type ${header.colorType}`);
  const pixels = inflateSync(Buffer.concat(idat));
  const row = 1 + Math.ceil((header.width * channels * header.bitDepth) / 8);
  if (pixels.length !== row * header.height) {
    throw new Error(`pixel data is ${pixels.length} bytes, ${row * header.height} expected`);
  }
  return { ...header, pixelBytes: pixels.length };
}
