import { describe, expect, it } from 'vitest';
import { mergeAlpha, splitAlpha } from './alpha.js';
import { resizeBicubic } from './resample.js';

describe('alpha split/merge and bicubic resampling', () => {
  it('split then merge is the identity', () => {
    const rgba = { width: 3, height: 2, channels: 4, data: Uint8Array.from({ length: 24 }, (_, i) => i * 10) };
    const { rgb, alpha } = splitAlpha(rgba);
    expect([...alpha.data]).toEqual([30, 70, 110, 150, 190, 230]);
    expect(rgb.data.length).toBe(18);
    expect([...mergeAlpha(rgb, alpha).data]).toEqual([...rgba.data]);
  });

  it('keeps flat planes flat and stays within 0..255 at hard edges', () => {
    const flat = resizeBicubic({ width: 4, height: 4, channels: 1, data: new Uint8Array(16).fill(77) }, 8, 8);
    expect(flat.data.every((v) => v === 77)).toBe(true);
    const edge = resizeBicubic({ width: 4, height: 1, channels: 1, data: Uint8Array.from([0, 0, 255, 255]) }, 16, 2);
    expect(Math.min(...edge.data)).toBe(0);
    expect(Math.max(...edge.data)).toBe(255);
    // Monotone ramp across the edge (no ringing sign flips inside the transition region centre).
    expect(edge.data[7]).toBeLessThan(edge.data[8]);
  });

  it('refuses an alpha plane of the wrong size', () => {
    expect(() => mergeAlpha({ width: 2, height: 2, channels: 3, data: new Uint8Array(12) }, { width: 1, height: 2, channels: 1, data: new Uint8Array(2) })).toThrow(/does not match/);
  });
});
