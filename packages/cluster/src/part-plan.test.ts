import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planParts } from './part-plan.js';

const tb = { num: 1, den: 1000 };
/** n frames at 25 fps (40 ms) with a keyframe every `gop` frames. */
function clip(n: number, gop: number) {
  const framePts = Array.from({ length: n }, (_, i) => i * 40);
  return { framePts, keyframePts: framePts.filter((_, i) => i % gop === 0), timeBase: tb };
}

describe('planParts', () => {
  it('cuts at the first keyframe at or after each part length', () => {
    // 10 s at 25 fps, keyframes every 2 s: 3-second parts start at 0, 4, 8 s… the 8 s tail is 2 s (≥ 25%), kept.
    const parts = planParts({ ...clip(250, 50), partSeconds: 3 });
    expect(parts.map((p) => [p.firstFrame, p.endFrame])).toEqual([[0, 100], [100, 200], [200, 250]]);
    expect(parts.map((p) => p.startPts)).toEqual([0, 4000, 8000]);
  });

  it('joins a short tail to the part before it', () => {
    const parts = planParts({ ...clip(210, 25), partSeconds: 4 });
    // starts at 0, 4, 8 s; the tail 8.0–8.36 s is under a quarter of a part, so the last part runs to the end.
    expect(parts.map((p) => [p.firstFrame, p.endFrame])).toEqual([[0, 100], [100, 210]]);
  });

  it('one part when only the first frame is a keyframe', () => {
    const c = clip(100, 1000);
    expect(planParts({ ...c, partSeconds: 1 })).toEqual([{ index: 0, firstFrame: 0, endFrame: 100, startPts: 0 }]);
  });

  it('refuses a part length that is not a positive number, naming the flag', () => {
    expect(() => planParts({ ...clip(10, 5), partSeconds: 0 })).toThrow(/--part-seconds/);
    expect(() => planParts({ ...clip(10, 5), partSeconds: Number.NaN })).toThrow(/--part-seconds/);
  });

  it('covers every frame exactly once, in order, each part starting at a keyframe (any VFR timeline)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 200 }), { minLength: 1, maxLength: 400 }),
        fc.array(fc.boolean(), { minLength: 400, maxLength: 400 }),
        fc.double({ min: 0.05, max: 20, noNaN: true }),
        (steps, keys, partSeconds) => {
          let t = 0;
          const framePts = steps.map((s) => (t += s));
          const keyframePts = framePts.filter((_, i) => keys[i]);
          const parts = planParts({ framePts, keyframePts, timeBase: tb, partSeconds });
          expect(parts[0].firstFrame).toBe(0);
          expect(parts.at(-1)!.endFrame).toBe(framePts.length);
          for (let i = 0; i < parts.length; i++) {
            expect(parts[i].index).toBe(i);
            expect(parts[i].endFrame).toBeGreaterThan(parts[i].firstFrame);
            if (i > 0) {
              expect(parts[i].firstFrame).toBe(parts[i - 1].endFrame);
              expect(keyframePts).toContain(parts[i].startPts);
            }
          }
        },
      ),
    );
  });
});
