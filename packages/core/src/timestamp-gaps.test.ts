import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SourceInfo } from './contracts/frame-source.js';
import { describeRange, rangeIndices, TimestampGapDetector } from './timestamp-gaps.js';

/** A video source description as the ffmpeg source gives it; `expectedPts` and rate vary per test. */
function info(o: Partial<SourceInfo>): SourceInfo {
  return { kind: 'video', path: 'in.mp4', width: 4, height: 3, layout: 'rgb24', timeBase: { num: 1, den: 12_800 }, variableFrameRate: false, ptsOrigin: 'decoder', ...o };
}

/** Feed every pts and collect the ranges the detector reports as they happen. */
function run(detector: TimestampGapDetector, pts: readonly number[]) {
  return pts.map((p) => detector.accept(p)).filter((r) => r !== undefined);
}

const mp4At25 = (n: number) => Array.from({ length: n }, (_, i) => i * 512); // 25 fps in MP4's 1/12800
const without = (pts: number[], lost: readonly number[]) => pts.filter((_, i) => !lost.includes(i));

describe('TimestampGapDetector, constant frame rate', () => {
  it('names a gap by source frame and by time', () => {
    const all = mp4At25(50);
    const detector = TimestampGapDetector.forSource(info({ frameRate: { num: 25, den: 1 }, expectedPts: all }))!;
    const ranges = run(detector, without(all, [23, 24, 25, 26, 27]));
    expect(ranges).toEqual([{ from: 23, to: 27, fromSeconds: 0.92, toSeconds: 1.12 }]);
    expect(describeRange(ranges[0])).toBe('frames 23–27 (0.92–1.12 s) are missing');
    expect(detector.finish(50)).toBeUndefined();
  });

  it('names several gaps in order, a single frame and a damaged head among them', () => {
    const all = mp4At25(50);
    const detector = TimestampGapDetector.forSource(info({ expectedPts: all }))!;
    const ranges = run(detector, without(all, [0, 1, 7, 30, 31, 32]));
    expect(ranges.map((r) => [r.from, r.to])).toEqual([[0, 1], [7, 7], [30, 32]]);
    expect(ranges[0]).toMatchObject({ fromSeconds: 0, toSeconds: 0.08 });
    expect(describeRange(ranges[1])).toBe('frame 7 (0.28–0.32 s) is missing');
    expect(detector.missingFrames).toBe(6);
  });

  it('finds no gap in an undamaged stream, even one with a rate of 30000/1001', () => {
    const ntsc = Array.from({ length: 3000 }, (_, i) => 6006 + i * 3003); // 90 kHz, starting late
    const detector = TimestampGapDetector.forSource(info({ timeBase: { num: 1, den: 90_000 }, frameRate: { num: 30_000, den: 1001 }, expectedPts: ntsc }))!;
    expect(run(detector, ntsc)).toEqual([]);
    expect(detector.finish(3000)).toBeUndefined();
  });

  it('tolerates timestamp jitter under half a frame but not a lost frame', () => {
    const ms = Array.from({ length: 300 }, (_, i) => Math.round((i * 1001) / 30)); // 29.97 fps in 1 ms: steps of 33 and 34
    const ntscMs = TimestampGapDetector.forSource(info({ timeBase: { num: 1, den: 1000 }, frameRate: { num: 30_000, den: 1001 } }))!;
    expect(run(ntscMs, ms)).toEqual([]);
    const lost = run(TimestampGapDetector.forSource(info({ timeBase: { num: 1, den: 1000 }, frameRate: { num: 30_000, den: 1001 } }))!, without(ms, [150]));
    expect(lost.map((r) => [r.from, r.to])).toEqual([[150, 150]]);
    expect(lost[0].fromSeconds).toBeCloseTo(5.005, 2);
    expect(lost[0].toSeconds).toBe(5.038);
    // Every step off by up to 0.45 frame (±9 ms around 40 ms), as a sloppy muxer might write them.
    const shaky = Array.from({ length: 200 }, (_, i) => i * 40 + (i % 2 ? 9 : -9));
    const at25 = () => TimestampGapDetector.forSource(info({ timeBase: { num: 1, den: 1000 }, frameRate: { num: 25, den: 1 } }))!;
    expect(run(at25(), shaky)).toEqual([]);
    expect(run(at25(), without(shaky, [100])).map((r) => r.from)).toEqual([100]);
  });

  it('takes the frame duration from the probed steps, not a doubled field rate', () => {
    const interlaced = Array.from({ length: 100 }, (_, i) => i * 3600); // 25 frames/s, r_frame_rate says 50
    const detector = TimestampGapDetector.forSource(info({ timeBase: { num: 1, den: 90_000 }, frameRate: { num: 50, den: 1 }, expectedPts: interlaced }))!;
    expect(run(detector, interlaced)).toEqual([]);
  });

  it('reports a tail that never came as an "ends early" range', () => {
    const detector = TimestampGapDetector.forSource(info({ frameRate: { num: 25, den: 1 } }))!;
    run(detector, mp4At25(45));
    const tail = detector.finish(50)!;
    expect(tail).toEqual({ from: 45, to: 49, fromSeconds: 1.8, toSeconds: 2, atEnd: true });
    expect(describeRange(tail)).toBe('the input ends early: frames 45–49 (1.80–2.00 s) are missing');
  });

  it('locates exactly the lost frames of a CFR stream at any common rate and time base (property)', () => {
    const rates = [[24_000, 1001], [25, 1], [30_000, 1001], [50, 1], [60_000, 1001]] as const;
    const bases = [1000, 12_800, 90_000, 15_360] as const;
    fc.assert(
      fc.property(
        fc.constantFrom(...rates),
        fc.constantFrom(...bases),
        fc.integer({ min: 2, max: 150 }),
        fc.array(fc.integer({ min: 0, max: 149 }), { maxLength: 40 }),
        fc.array(fc.integer({ min: -1, max: 1 }), { minLength: 150, maxLength: 150 }),
        fc.boolean(),
        ([num, den], base, n, lostRaw, jitter, probed) => {
          const lost = [...new Set(lostRaw.filter((i) => i < n))].sort((a, b) => a - b);
          // Rounding to the time base plus a unit of muxer jitter: what real CFR timestamps look like.
          const pts = Array.from({ length: n }, (_, i) => Math.round(500 + (i * base * den) / num) + jitter[i]);
          const stream = info({ timeBase: { num: 1, den: base }, frameRate: { num, den }, ...(probed ? { expectedPts: pts } : {}) });
          const detector = TimestampGapDetector.forSource(stream)!;
          run(detector, without(pts, lost));
          detector.finish(n);
          // Without the probed list a lost head is invisible: the first delivered frame becomes frame 0,
          // and the count check then finds the shortfall at the end.
          const gapAt = lost.findIndex((l, k) => l !== k);
          const head = gapAt === -1 ? lost.length : gapAt;
          const tail = Array.from({ length: head }, (_, k) => n - head + k);
          const visible = probed || head === n ? lost : [...lost.slice(head).map((i) => i - head), ...tail];
          expect(rangeIndices(detector.ranges)).toEqual(visible);
        },
      ),
    );
  });
});

describe('TimestampGapDetector, variable frame rate', () => {
  // 8 frames at 10 fps, then 12 at 25 fps (1 ms time base), like the io package's VFR fixture.
  const vfr = [...Array.from({ length: 8 }, (_, i) => i * 100), ...Array.from({ length: 12 }, (_, i) => 800 + i * 40)];
  const vfrInfo = info({ timeBase: { num: 1, den: 1000 }, variableFrameRate: true, expectedPts: vfr });

  it('matches decoder pts against the probed list: no false gap where the rate changes', () => {
    const detector = TimestampGapDetector.forSource(vfrInfo)!;
    expect(run(detector, vfr)).toEqual([]);
    expect(detector.finish(20)).toBeUndefined();
  });

  it('names lost frames by their listed position and time', () => {
    const detector = TimestampGapDetector.forSource(vfrInfo)!;
    expect(run(detector, without(vfr, [6, 7, 8, 15]))).toEqual([
      { from: 6, to: 8, fromSeconds: 0.6, toSeconds: 0.84 },
      { from: 15, to: 15, fromSeconds: 1.08, toSeconds: 1.12 },
    ]);
    expect(detector.finish(20)).toBeUndefined();
  });

  it('reports the unlisted tail of a VFR stream that ends early', () => {
    const detector = TimestampGapDetector.forSource(vfrInfo)!;
    run(detector, vfr.slice(0, 17));
    expect(detector.finish(20)).toEqual({ from: 17, to: 19, fromSeconds: 1.16, toSeconds: 1.28, atEnd: true });
  });

  it('gives no detector where pts cannot show a gap: VFR without a list, or pts made from the index', () => {
    expect(TimestampGapDetector.forSource(info({ variableFrameRate: true }))).toBeUndefined();
    expect(TimestampGapDetector.forSource(info({ ptsOrigin: 'index', frameRate: { num: 25, den: 1 }, expectedPts: mp4At25(5) }))).toBeUndefined();
    expect(TimestampGapDetector.forSource(info({ ptsOrigin: undefined, frameRate: { num: 25, den: 1 } }))).toBeUndefined();
  });
});
