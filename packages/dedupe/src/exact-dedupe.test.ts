import { describe, expect, it } from 'vitest';
import { xxh32 } from './fast-hash.js';
import { createStrategy, decideAll, testContainer } from './test-support/run-strategy.js';
import { frameOf, mapPicture, prng, texturedPicture, type Picture } from './test-support/synthetic-frames.js';

const a = texturedPicture(32, 24, 1);
const b = mapPicture(a, (pixel, c, v) => (pixel === 100 && c === 1 ? v ^ 1 : v)); // one bit of one byte
const exact = (options: Record<string, unknown> = {}) => createStrategy(testContainer().container, 'exact', options);
const frames = (pics: readonly Picture[]) => pics.map((p, i) => frameOf(p, i));

/** Two different 12-byte (2×2 RGB) frames with the same xxh32, found by a birthday search. */
function collidingPair(): [Uint8Array, Uint8Array] {
  const rand = prng(42);
  const seen = new Map<number, Uint8Array>();
  for (;;) {
    const bytes = Uint8Array.from({ length: 12 }, () => Math.floor(rand() * 256));
    const h = xxh32(bytes);
    const other = seen.get(h);
    if (other && Buffer.compare(other, bytes) !== 0) return [other, bytes];
    seen.set(h, bytes);
  }
}

describe('exact', () => {
  it('reuses the reference for bit-identical frames and infers a one-bit change', async () => {
    const { refs, stats } = await decideAll(exact(), frames([a, a, b, b, a]));
    expect(refs).toEqual([-1, 0, -1, 2, -1]);
    expect(stats).toMatchObject({ frames: 5, duplicates: 2, cache: 'disabled' });
  });

  it('only points at the current reference, never at an older identical frame', async () => {
    const { refs } = await decideAll(exact(), frames([a, b, a, a]));
    expect(refs).toEqual([-1, -1, -1, 2]);
  });

  it('gives the same decisions with md5', async () => {
    const { refs } = await decideAll(exact({ hash: 'md5' }), frames([a, a, b, b, a]));
    expect(refs).toEqual([-1, 0, -1, 2, -1]);
  });

  it('works when the source reuses one pooled buffer for every frame', async () => {
    for (const verify of [false, true]) {
      const s = exact({ verify });
      const pool = new Uint8Array(a.data.length);
      const refs: number[] = [];
      for (const [index, pic] of [a, a, b, a].entries()) {
        pool.set(pic.data);
        refs.push((await s.decide({ ...frameOf(pic, index), data: pool })).duplicateOf ?? -1);
      }
      expect(refs).toEqual([-1, 0, -1, -1]);
    }
  });

  it('infers frames with equal bytes but a different geometry', async () => {
    const wide: Picture = { width: 4, height: 3, layout: 'rgb24', data: new Uint8Array(36) };
    const tall: Picture = { ...wide, width: 3, height: 4 };
    const { refs } = await decideAll(exact(), [frameOf(wide, 0), frameOf(tall, 1)]);
    expect(refs).toEqual([-1, -1]);
  });

  it('with verify, rules out a real hash collision that the hash alone accepts', async () => {
    const [first, second] = collidingPair();
    expect(xxh32(first)).toBe(xxh32(second));
    const pics: Picture[] = [first, second].map((data) => ({ width: 2, height: 2, layout: 'rgb24', data }));
    expect((await decideAll(exact(), frames(pics))).refs).toEqual([-1, 0]);
    expect((await decideAll(exact({ verify: true }), frames(pics))).refs).toEqual([-1, -1]);
  });
});
