import { open } from 'node:fs/promises';
import type { ImageFormat } from '@upframe/core';

/** The IJG (libjpeg) luminance table at quality 50, in zig-zag order as DQT segments store it. */
const IJG_LUMA = [
  16, 11, 12, 14, 12, 10, 16, 14, 13, 14, 18, 17, 16, 19, 24, 40, 26, 24, 22, 22, 24, 49, 35, 37, 29, 40, 58, 51, 61, 60, 57, 51,
  56, 55, 64, 72, 92, 78, 64, 68, 87, 69, 55, 56, 80, 109, 81, 87, 95, 98, 103, 104, 103, 62, 77, 113, 121, 112, 100, 120, 92, 101, 103, 99,
];

/** The table libjpeg writes for `quality` (1–100). */
function scaledTable(quality: number): number[] {
  const scale = quality < 50 ? 5000 / quality : 200 - quality * 2;
  return IJG_LUMA.map((q) => Math.min(255, Math.max(1, Math.floor((q * scale + 50) / 100))));
}

/** The first (luminance) quantisation table of a JPEG, from its DQT segment; undefined when there is none. */
export function readLumaTable(bytes: Uint8Array): number[] | undefined {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) return undefined;
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return undefined;
    const marker = bytes[at + 1];
    const length = (bytes[at + 2] << 8) | bytes[at + 3];
    if (marker === 0xda || marker === 0xd9) return undefined; // scan data: no table before it
    if (marker === 0xdb) {
      const precision = bytes[at + 4] >> 4;
      const start = at + 5;
      const table: number[] = [];
      for (let i = 0; i < 64; i++) table.push(precision ? (bytes[start + 2 * i] << 8) | bytes[start + 2 * i + 1] : bytes[start + i]);
      return table.every((v) => v !== undefined && !Number.isNaN(v)) ? table : undefined;
    }
    at += 2 + length;
  }
  return undefined;
}

/**
 * The libjpeg quality whose luminance table is closest to `table` (what ImageMagick's `%Q`
 * reports for files libjpeg-family encoders wrote). Encoders with their own tables still get the
 * nearest IJG quality, which is what re-encoding at that quality reproduces best.
 */
export function qualityOfTable(table: readonly number[]): number {
  let best = { quality: 90, error: Infinity };
  for (let quality = 1; quality <= 100; quality++) {
    const ref = scaledTable(quality);
    const error = table.reduce((sum, v, i) => sum + Math.abs(v - ref[i]), 0);
    if (error < best.error) best = { quality, error };
  }
  return best.quality;
}

/** Estimated quality of a JPEG file from its quantisation tables; undefined for other formats or when unreadable. */
export async function estimateImageQuality(file: string, format: ImageFormat | undefined): Promise<number | undefined> {
  if (format !== 'jpeg') return undefined;
  const handle = await open(file, 'r').catch(() => undefined);
  if (!handle) return undefined;
  try {
    // Tables sit in the header, ahead of the scan; EXIF blocks can be up to 64 KiB each.
    const buffer = Buffer.alloc(256 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const table = readLumaTable(buffer.subarray(0, bytesRead));
    return table ? qualityOfTable(table) : undefined;
  } finally {
    await handle.close();
  }
}

/** sharp's format name (`jpeg`, `png`, `heif` …) as an upframe image format, when it is one. */
export function imageFormatOfSharp(format: string | undefined): ImageFormat | undefined {
  if (format === 'jpeg' || format === 'png' || format === 'webp' || format === 'tiff') return format;
  if (format === 'heif' || format === 'avif') return 'avif';
  return undefined;
}
