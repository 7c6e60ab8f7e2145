import { describe, expect, it } from 'vitest';
import { mergeAlpha, splitAlpha } from './alpha.js';
import { BufferPool } from './buffer-pool.js';
import { frameBytes, layoutOf, sampleDepthOf } from './frame.js';
import type { Image } from './frame.js';
import { resizeBicubic } from './resample.js';
import { bytesOf16, samples16, toDepth16, toDepth8 } from './sample-depth.js';
import { extractRegion, pasteTile, planTiles } from './tiling.js';

function image16(width: number, height: number, channels: number, value: (i: number) => number): Image {
  const s = new Uint16Array(width * height * channels);
  for (let i = 0; i < s.length; i++) s[i] = value(i);
  return { width, height, channels, depth: 16, data: bytesOf16(s) };
}

describe('16-bit layouts', () => {
  it('sizes and names 16-bit layouts', () => {
    expect(frameBytes(4, 3, 'rgb48')).toBe(4 * 3 * 6);
    expect(frameBytes(4, 3, 'rgba64')).toBe(4 * 3 * 8);
    expect(frameBytes(4, 3, 'rgb24')).toBe(4 * 3 * 3);
    expect(layoutOf(4, 16)).toBe('rgba64');
    expect(layoutOf(3)).toBe('rgb24');
    expect(sampleDepthOf('rgb48')).toBe(16);
  });

  it('reads little-endian samples, also from an odd byte offset', () => {
    const bytes = new Uint8Array([0, 0x34, 0x12, 0xff, 0xff]);
    expect([...samples16(bytes.subarray(1))]).toEqual([0x1234, 0xffff]);
  });

  it('widens 8 → 16 exactly and rounds 16 → 8 to the nearest level', () => {
    const eight: Image = { width: 3, height: 1, channels: 1, data: new Uint8Array([0, 128, 255]) };
    expect([...samples16(toDepth16(eight).data)]).toEqual([0, 128 * 257, 65535]);
    expect([...toDepth8(toDepth16(eight)).data]).toEqual([0, 128, 255]);
    const near = image16(3, 1, 1, (i) => [129, 257 * 10 + 129, 257 * 10 + 128][i]);
    expect([...toDepth8(near).data]).toEqual([1, 11, 10]);
  });
});

describe('16-bit frames through core machinery', () => {
  it('splits and merges alpha without losing the low byte', () => {
    const rgba = image16(5, 2, 4, (i) => 1000 + i * 37);
    const pool = new BufferPool();
    const { rgb, alpha } = splitAlpha(rgba, pool);
    expect(rgb.depth).toBe(16);
    expect(samples16(alpha.data)[1]).toBe(1000 + 7 * 37);
    expect([...mergeAlpha(rgb, alpha).data]).toEqual([...rgba.data]);
  });

  it('resizes a 16-bit plane at 16 bits (levels between 8-bit steps survive)', () => {
    const ramp = image16(64, 1, 1, (i) => i * 3);
    const out = resizeBicubic(ramp, 128, 2);
    const levels = new Set(samples16(out.data));
    expect(out.depth).toBe(16);
    expect(Math.max(...levels)).toBeGreaterThan(180);
    expect(levels.size).toBeGreaterThan(100);
  });

  it('tiles and stitches 16-bit images byte-exactly', () => {
    const src = image16(10, 7, 3, (i) => (i * 2654435761) & 0xffff);
    const dst: Image = { width: 10, height: 7, channels: 3, depth: 16, data: new Uint8Array(src.data.length) };
    for (const t of planTiles(10, 7, 4, 1)) pasteTile(dst, extractRegion(src, t.px, t.py, t.pw, t.ph), t, 1);
    expect([...dst.data]).toEqual([...src.data]);
  });
});
