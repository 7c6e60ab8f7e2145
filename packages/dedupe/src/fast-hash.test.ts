import { describe, expect, it } from 'vitest';
import { xxh32, xxh32Hex } from './fast-hash.js';
import { prng } from './test-support/synthetic-frames.js';

const text = (s: string) => new TextEncoder().encode(s);

describe('xxh32', () => {
  it('matches the reference implementation on published vectors', () => {
    expect(xxh32(text(''))).toBe(0x02cc5d05);
    expect(xxh32(text('a'))).toBe(0x550d7456);
    expect(xxh32(text('abc'))).toBe(0x32d153ff);
    expect(xxh32(text('Nobody inspects the spammish repetition'))).toBe(0xe2293b2f);
  });

  it('gives the same hash whatever the byte offset of the view (aligned word path vs copied path)', () => {
    const rand = prng(7);
    const bytes = Uint8Array.from({ length: 1003 }, () => Math.floor(rand() * 256));
    const expected = xxh32(bytes.slice());
    for (let offset = 1; offset < 4; offset++) {
      const shifted = new Uint8Array(bytes.length + offset);
      shifted.set(bytes, offset);
      expect(xxh32(shifted.subarray(offset))).toBe(expected);
    }
  });

  it('depends on the seed and on every tail length', () => {
    const bytes = text('0123456789abcdefghij');
    expect(xxh32(bytes, 1)).not.toBe(xxh32(bytes, 0));
    const hashes = new Set(Array.from({ length: bytes.length + 1 }, (_, n) => xxh32(bytes.subarray(0, n))));
    expect(hashes.size).toBe(bytes.length + 1);
  });

  it('has no collisions among near-identical frames: every single-level change of a 160x90 frame', () => {
    // Lossy held frames differ from each other by ±1 here and there; a hash that collided on such
    // edits would make `exact` call two different frames equal.
    const rand = prng(3);
    const frame = Uint8Array.from({ length: 160 * 90 * 3 }, () => Math.floor(rand() * 256));
    const seen = new Set<number>([xxh32(frame)]);
    for (let i = 0; i < frame.length; i++) {
      const before = frame[i];
      frame[i] = (before + 1) & 255;
      seen.add(xxh32(frame));
      frame[i] = before;
    }
    expect(seen.size).toBe(frame.length + 1);
  });

  it('formats string keys as 8 hex digits', () => {
    expect(xxh32Hex('abc')).toBe('32d153ff');
    expect(xxh32Hex('')).toMatch(/^[0-9a-f]{8}$/);
  });
});
