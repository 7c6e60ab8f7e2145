import { describe, expect, it } from 'vitest';
import { ReferencePixels } from './reference-pixels.js';

/** `count` samples of `base`, every `step`-th one moved by `delta`. */
function withErrors(base: Uint8Array, step: number, delta: number): Uint8Array {
  const out = base.slice();
  for (let k = 0; k < out.length; k += step) out[k] = Math.min(255, out[k] + delta);
  return out;
}

const base = Uint8Array.from({ length: 3000 }, (_, k) => (k * 37) % 200);

describe('ReferencePixels', () => {
  it('accepts identical pixels at any floor and refuses when nothing was kept', () => {
    const ref = new ReferencePixels();
    expect(ref.within(base, 40)).toBe(false);
    ref.keep(base, base.length);
    expect(ref.within(base.slice(), 99)).toBe(true);
  });

  it('compares PSNR over every sample with the floor, on both sides of it', () => {
    // One sample in 10 off by 10: MSE 10, PSNR = 10·log10(65025 / 10) = 38.13 dB.
    const ref = new ReferencePixels();
    ref.keep(base, base.length);
    const frame = withErrors(base, 10, 10);
    expect(ref.within(frame, 38.1)).toBe(true);
    expect(ref.within(frame, 38.2)).toBe(false);
    expect(ref.within(frame, 0)).toBe(true);
  });

  it('gives the same answer for a frame that does not start on a 4-byte boundary', () => {
    const ref = new ReferencePixels();
    ref.keep(base, base.length);
    const frame = withErrors(base, 10, 10);
    const shifted = new Uint8Array(frame.length + 1);
    shifted.set(frame, 1);
    const unaligned = shifted.subarray(1);
    expect(unaligned.byteOffset % 4).toBe(1);
    expect(ref.within(unaligned, 38.1)).toBe(true);
    expect(ref.within(unaligned, 38.2)).toBe(false);
  });

  it('compares only the kept length, and refuses a shorter frame', () => {
    const ref = new ReferencePixels();
    ref.keep(base, 1500);
    const tail = base.slice();
    tail.fill(0, 1500);
    expect(ref.within(tail, 60)).toBe(true);
    expect(ref.within(base.subarray(0, 1000), 10)).toBe(false);
  });
});
