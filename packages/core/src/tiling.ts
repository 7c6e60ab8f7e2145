import type { Image } from './frame.js';
import { sampleBytes } from './sample-depth.js';

/** One tile: the core region it owns and the fixed-size padded window that is inferred. */
export interface Tile {
  /** Core region in input pixels (what this tile contributes to the output). */
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  /** Padded window actually inferred; all windows of a plan share one size so they batch. */
  readonly px: number;
  readonly py: number;
  readonly pw: number;
  readonly ph: number;
}

/**
 * Split `width × height` into tiles of at most `tile` pixels with `overlap` pixels of context on
 * every inner side. Windows are shifted inward at the edges rather than shrunk, so every
 * window has the same size and the tiles can be batched.
 */
export function planTiles(width: number, height: number, tile: number, overlap: number): Tile[] {
  if (tile < 1 || overlap < 0) throw new RangeError(`invalid tiling: tile ${tile}, overlap ${overlap}`);
  const pw = Math.min(width, tile + 2 * overlap);
  const ph = Math.min(height, tile + 2 * overlap);
  const tiles: Tile[] = [];
  for (let y = 0; y < height; y += tile) {
    for (let x = 0; x < width; x += tile) {
      const w = Math.min(tile, width - x);
      const h = Math.min(tile, height - y);
      const px = clamp(x - overlap, 0, width - pw);
      const py = clamp(y - overlap, 0, height - ph);
      tiles.push({ x, y, w, h, px, py, pw, ph });
    }
  }
  return tiles;
}

/** Copy a rectangle out of an interleaved image (8- or 16-bit) into `out` (or a new buffer); the region keeps the depth. */
export function extractRegion(src: Image, x: number, y: number, w: number, h: number, out?: Uint8Array): Image {
  const c = src.channels * sampleBytes(src);
  const data = out ?? new Uint8Array(w * h * c);
  const rowBytes = w * c;
  for (let row = 0; row < h; row++) {
    const from = ((y + row) * src.width + x) * c;
    data.set(src.data.subarray(from, from + rowBytes), row * rowBytes);
  }
  return { width: w, height: h, channels: src.channels, ...(src.depth === 16 ? { depth: 16 as const } : {}), data };
}

/** Paste the core of an upscaled tile window into the upscaled destination image. */
export function pasteTile(dst: Image, window: Image, tile: Tile, scale: number): void {
  if (sampleBytes(window) !== sampleBytes(dst)) throw new RangeError(`tile is ${window.depth ?? 8}-bit but the image is ${dst.depth ?? 8}-bit`);
  const c = dst.channels * sampleBytes(dst);
  const offX = (tile.x - tile.px) * scale;
  const offY = (tile.y - tile.py) * scale;
  const rowBytes = tile.w * scale * c;
  for (let row = 0; row < tile.h * scale; row++) {
    const from = ((offY + row) * window.width + offX) * c;
    const to = ((tile.y * scale + row) * dst.width + tile.x * scale) * c;
    dst.data.set(window.data.subarray(from, from + rowBytes), to);
  }
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, v));
}
