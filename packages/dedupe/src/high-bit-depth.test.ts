import { bytesOf16, type Frame } from '@upframe/core';
import { describe, expect, it } from 'vitest';
import { createStrategy, decideAll, testContainer } from './test-support/run-strategy.js';

/** A 16-bit RGB frame: a smooth ramp, plus `low` added to one sample (a change below one 8-bit step). */
function deepFrame(index: number, low = 0): Frame {
  const w = 32;
  const h = 8;
  const s = new Uint16Array(w * h * 3);
  for (let i = 0; i < s.length; i++) s[i] = 20000 + ((i / 3) | 0) * 64;
  s[100] += low;
  return { index, pts: index, timeBase: { num: 1, den: 25 }, width: w, height: h, layout: 'rgb48', data: bytesOf16(s) };
}

describe('dedupe on 16-bit frames', () => {
  it('exact compares all 16 bits: a change of one 16-bit level is new content', async () => {
    const strategy = createStrategy(testContainer().container, 'exact');
    expect(strategy.sampleDepths).toContain(16);
    const { refs } = await decideAll(strategy, [deepFrame(0), deepFrame(1), deepFrame(2, 1), deepFrame(3, 1)]);
    expect(refs).toEqual([-1, 0, -1, 2]);
  });

  it('exact with verify compares the bytes of 16-bit frames too', async () => {
    const { refs } = await decideAll(createStrategy(testContainer().container, 'exact', { verify: true }), [deepFrame(0), deepFrame(1, 3), deepFrame(2, 3)]);
    expect(refs).toEqual([-1, -1, 1]);
  });

  it('near measures 16-bit frames: a held frame is a duplicate, a new picture is not', async () => {
    const strategy = createStrategy(testContainer().container, 'near');
    expect(strategy.sampleDepths).toContain(16);
    const other = deepFrame(2);
    const s = new Uint16Array(other.data.buffer.slice(0));
    s.fill(60000, 0, s.length / 2);
    const { refs } = await decideAll(strategy, [deepFrame(0), deepFrame(1, 2), { ...other, data: bytesOf16(s) }]);
    expect(refs).toEqual([-1, 0, -1]);
  });
});
