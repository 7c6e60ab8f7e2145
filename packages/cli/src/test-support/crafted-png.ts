import { crc32 } from 'node:zlib';
import sharp from 'sharp';

/**
 * A tiny PNG whose header claims `width`×`height`: what an "image bomb" looks like to a reader
 * that trusts the header. Only the IHDR chunk is rewritten (with its CRC), so header readers accept it.
 */
export async function pngClaimingSize(width: number, height: number): Promise<Buffer> {
  const png = await sharp({ create: { width: 1, height: 1, channels: 3, background: '#808080' } }).png().toBuffer();
  const out = Buffer.from(png);
  // Signature (8) + length (4) + "IHDR" (4): width and height follow as big-endian uint32.
  out.writeUInt32BE(width, 16);
  out.writeUInt32BE(height, 20);
  out.writeUInt32BE(crc32(out.subarray(12, 29)) >>> 0, 29);
  return out;
}
