import { describe, expect, it } from 'vitest';
import { FadeSteps, type FadeStepSettings } from './fade-steps.js';

const S: FadeStepSettings = { shift: 0.25, shiftRatio: 0.3, shiftMax: 1.5, shiftSpan: 24 };

function steps(...pairs: [number, number][]): FadeSteps {
  const f = new FadeSteps();
  for (const [index, shift] of pairs) f.record(index, shift, f.allowance(index, S));
  return f;
}

describe('FadeSteps', () => {
  it('keeps the fixed shift until three recent steps are known', () => {
    expect(steps().allowance(10, S)).toBe(0.25);
    expect(steps([3, 3], [6, 3]).allowance(7, S)).toBe(0.25);
  });

  it('allows shiftRatio × the smallest recent step, capped by shiftMax', () => {
    expect(steps([3, 3], [6, -3.5], [9, 3.2]).allowance(10, S)).toBeCloseTo(0.9, 5);
    expect(steps([3, 10], [6, 12], [9, 11]).allowance(10, S)).toBe(1.5);
    // ~1-level steps allow about what the fixed rule does, so they are never taken for held frames.
    expect(steps([3, 1], [6, 0.9], [9, 1.1]).allowance(10, S)).toBeCloseTo((0.3 * 29) / 32, 5); // 0.9 kept as 29/32
    expect(steps([3, 3], [6, 3], [9, 3]).allowance(10, { ...S, shiftRatio: 0 })).toBe(0.25);
  });

  it('ignores changes under twice the allowance in force, and forgets steps after shiftSpan frames', () => {
    const f = steps([3, 3], [6, 3], [9, 3]);
    f.record(11, 1.2, f.allowance(11, S)); // a held frame that drifted past 0.9: not a step
    expect(f.allowance(12, S)).toBeCloseTo(0.9, 5);
    expect(f.allowance(3 + 24, S)).toBeCloseTo(0.9, 5);
    expect(f.allowance(3 + 25, S)).toBe(0.25);
  });

  it('restores exactly what it saved', () => {
    const f = steps([3, 3.3], [6, 2.71], [9, 40], [12, 3.01], [70, 2]);
    const words = new Uint32Array(2);
    f.save(80, words);
    const g = new FadeSteps();
    g.load(80, words);
    for (const at of [80, 85, 90, 94, 95]) expect(g.allowance(at, S)).toBe(f.allowance(at, S));
    const h = steps([3, 3.3], [6, 2.71], [9, 3.01]);
    h.save(10, words);
    g.load(10, words);
    for (const at of [10, 20, 27, 28]) expect(g.allowance(at, S)).toBe(h.allowance(at, S));
  });
});
