import type { SourceInfo } from './contracts/frame-source.js';
import type { Rational } from './frame.js';

/** A run of source frames that never came out of the decoder. */
export interface DamagedRange {
  /** First and last missing frame, numbered as in the undamaged stream (0-based). */
  readonly from: number;
  readonly to: number;
  /** Where the gap starts and ends, in seconds from the stream's first frame. */
  readonly fromSeconds: number;
  readonly toSeconds: number;
  /** The stream stops here: the missing frames are its last ones (a cut or damaged tail). */
  readonly atEnd?: boolean;
}

/** "frames 23–27 (0.92–1.12 s) are missing", or "the input ends early: …" for a tail. */
export function describeRange(r: DamagedRange): string {
  const frames = r.from === r.to ? `frame ${r.from}` : `frames ${r.from}–${r.to}`;
  const what = `${frames} (${r.fromSeconds.toFixed(2)}–${r.toSeconds.toFixed(2)} s) ${r.from === r.to ? 'is' : 'are'} missing`;
  return r.atEnd ? `the input ends early: ${what}` : what;
}

/** Every frame index a list of ranges covers, for the report's `missing`. */
export function rangeIndices(ranges: readonly DamagedRange[]): number[] {
  return ranges.flatMap((r) => Array.from({ length: r.to - r.from + 1 }, (_, k) => r.from + k));
}

type Mode = { kind: 'constant'; duration: number } | { kind: 'listed'; pts: readonly number[] };

/**
 * Finds frames the decoder lost, from the pts of the frames it did deliver. A decoder that meets a
 * damaged packet drops the frame and carries on, so a loss shows only as a jump in pts:
 * - constant frame rate: a step of n frame durations means n − 1 frames are gone. Steps are rounded,
 *   so jitter under half a frame (33/34 ms gaps of 29.97 fps in a 1 ms time base) is not a gap;
 * - variable frame rate: a step means nothing by itself, so the pts are matched against the list
 *   the source expects (probed packets) and unmatched entries are the missing frames.
 * Only sources whose pts come from the decoder can show a gap; pts computed from the decode index
 * hide every loss, and for those (and VFR without a list) only the pipeline's count check applies.
 */
export class TimestampGapDetector {
  private readonly found: DamagedRange[] = [];
  private start: number | undefined;
  private lastPts: number | undefined;
  /** Source index of the last delivered frame (−1 before the first). */
  private last = -1;

  constructor(
    readonly timeBase: Rational,
    private readonly mode: Mode,
    /**
     * Pts of the stream's first frame. Without it the first delivered frame is taken as the start,
     * so a lost head goes unseen here and shows up only as a shortfall at the end.
     */
    startPts?: number,
  ) {
    this.start = startPts;
  }

  /** The detector for a source, or undefined when its timestamps cannot show a gap. */
  static forSource(info: SourceInfo): TimestampGapDetector | undefined {
    if (info.ptsOrigin !== 'decoder') return undefined;
    const listed = info.expectedPts?.length ? info.expectedPts : undefined;
    if (info.variableFrameRate) return listed ? new TimestampGapDetector(info.timeBase, { kind: 'listed', pts: listed }, listed[0]) : undefined;
    // The probed packets' typical step is the best witness of the frame duration: r_frame_rate
    // doubles for field-coded streams, which would make every step look like a lost frame.
    const rate = info.frameRate;
    const duration = medianStep(listed) ?? (rate ? (info.timeBase.den * rate.den) / (info.timeBase.num * rate.num) : undefined);
    if (!duration || !Number.isFinite(duration) || duration <= 0) return undefined;
    return new TimestampGapDetector(info.timeBase, { kind: 'constant', duration }, listed?.[0]);
  }

  /** Ranges found so far, in stream order. */
  get ranges(): readonly DamagedRange[] {
    return this.found;
  }

  get missingFrames(): number {
    return this.found.reduce((n, r) => n + r.to - r.from + 1, 0);
  }

  /** Take the next delivered frame's pts; returns the range lost just before it, if any. */
  accept(pts: number): DamagedRange | undefined {
    this.start ??= pts;
    const index = this.mode.kind === 'constant' ? this.constantIndex(pts, this.mode.duration) : this.listedIndex(pts, this.mode.pts);
    const gapStart = this.last < 0 ? this.start : this.timeOf(this.last + 1, this.lastPts!);
    const range = index > this.last + 1 ? this.record(this.last + 1, index - 1, gapStart, pts) : undefined;
    this.last = Math.max(index, this.last + 1);
    this.lastPts = pts;
    return range;
  }

  /**
   * The first delivered frame is source frame `index` at `pts` because the source seeked there (a
   * resumed run): the frames before it were not lost, only not decoded again.
   */
  resumeAt(index: number, pts: number): void {
    this.start ??= pts;
    this.last = index;
    this.lastPts = pts;
  }

  /**
   * After the last frame: the tail that never came when the source promised `expectedCount`
   * frames (an exact count), as an "ends early" range.
   */
  finish(expectedCount: number | undefined): DamagedRange | undefined {
    if (expectedCount === undefined) return undefined;
    const listed = this.mode.kind === 'listed' ? this.mode.pts : [];
    const total = Math.max(expectedCount, listed.length);
    const from = this.last + 1;
    if (from >= total) return undefined;
    // A variable-rate tail goes on at the rate of the last listed frames, not the overall median.
    const step = this.mode.kind === 'constant' ? this.mode.duration : medianStep(listed.slice(-6)) ?? 0;
    const fromPts = from < listed.length ? listed[from] : this.last < 0 ? this.start ?? 0 : this.lastPts! + step;
    // The tail ends one frame after the last listed pts, plus any frames the count promises beyond the list.
    const endPts = from < listed.length ? listed[listed.length - 1] + step * (total - listed.length + 1) : fromPts + step * (total - from);
    return this.record(from, total - 1, fromPts, endPts, true);
  }

  private constantIndex(pts: number, duration: number): number {
    if (this.last < 0) return Math.max(0, Math.round((pts - this.start!) / duration));
    return this.last + Math.max(1, Math.round((pts - this.lastPts!) / duration));
  }

  /** Nearest listed pts at or after the next expected entry: exact when decoder pts are packet pts. */
  private listedIndex(pts: number, list: readonly number[]): number {
    let k = this.last + 1;
    if (k >= list.length) return k; // more frames than the list holds: nothing to compare against
    while (k + 1 < list.length && Math.abs(list[k + 1] - pts) < Math.abs(list[k] - pts)) k++;
    return k;
  }

  /** Pts of source frame `index`, which follows the last delivered frame (at `lastPts`). */
  private timeOf(index: number, lastPts: number): number {
    if (this.mode.kind === 'listed') return this.mode.pts[index] ?? lastPts;
    return lastPts + (index - this.last) * this.mode.duration;
  }

  private record(from: number, to: number, fromPts: number, toPts: number, atEnd = false): DamagedRange {
    const seconds = (pts: number) => Math.round(((pts - (this.start ?? 0)) * this.timeBase.num * 1e6) / this.timeBase.den) / 1e6;
    const range: DamagedRange = { from, to, fromSeconds: seconds(fromPts), toSeconds: seconds(toPts), ...(atEnd ? { atEnd } : {}) };
    this.found.push(range);
    return range;
  }
}

/** Median of the positive steps of a sorted pts list; undefined with fewer than two entries. */
export function medianStep(pts: readonly number[] | undefined): number | undefined {
  if (!pts || pts.length < 2) return undefined;
  const steps = pts.slice(1).map((p, i) => p - pts[i]).filter((s) => s > 0).sort((a, b) => a - b);
  return steps.length ? steps[Math.floor(steps.length / 2)] : undefined;
}
