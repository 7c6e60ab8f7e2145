import type { SourceInfo } from './contracts/frame-source.js';
import { DamagedInputError, SequenceValidationError } from './errors.js';
import { describeRange, TimestampGapDetector, type DamagedRange } from './timestamp-gaps.js';

/**
 * What a run does about frames its source lost. Each damaged range the gap detector finds at
 * decoder output either fails the run (the default: a damaged input must not come out as a
 * silently shorter video) or, with `accept`, becomes a warning and an entry of `ranges` while the
 * run carries on, the output keeping the gap in its timing. After the last frame, `checkCount`
 * compares the count with the one the source promised.
 */
export class FrameLossPolicy {
  readonly gaps: TimestampGapDetector | undefined;
  readonly ranges: DamagedRange[] = [];

  constructor(
    private readonly info: SourceInfo,
    private readonly accept: boolean,
    private readonly warn: (message: string) => void,
  ) {
    this.gaps = TimestampGapDetector.forSource(info);
  }

  /** One damaged range: throws `DamagedInputError` naming it, or warns when damage is accepted. */
  readonly onDamaged = (range: DamagedRange): void => {
    this.ranges.push(range);
    const what = `${this.info.path}: ${range.atEnd ? '' : 'damaged input: '}${describeRange(range)}`;
    const why = range.atEnd ? 'the file is cut short or its end is damaged' : 'the decoder could not deliver them';
    if (!this.accept) throw new DamagedInputError(`${what} (${why})`, [range], this.info.path);
    this.warn(`${what}; carrying on as asked: the output ${range.atEnd ? 'ends early too' : 'has a gap there'}`);
  };

  /**
   * After the last frame. An estimated count only warns. An exact one that was not met fails the
   * run, naming only what the timestamps located: the gaps already reported, plus the tail as an
   * "ends early" range. A shortfall they cannot place is counted, never given made-up indices.
   */
  checkCount(decoded: number): void {
    const { frameCount, frameCountExact, path } = this.info;
    if (frameCount === undefined) return;
    if (!frameCountExact) {
      if (frameCount !== decoded) this.warn(`${path}: container header says ${frameCount} frames, decoded ${decoded}`);
      return;
    }
    const tail = this.gaps?.finish(frameCount);
    if (tail) this.onDamaged(tail);
    const located = this.gaps?.missingFrames ?? 0;
    if (decoded === frameCount || (decoded < frameCount && decoded + located >= frameCount)) return;
    const why =
      decoded > frameCount
        ? `${decoded - frameCount} more than the source promised`
        : `${frameCount - decoded - located} missing that ${this.gaps ? 'the timestamps cannot place' : "this source's timestamps cannot locate"}`;
    throw new SequenceValidationError(`${path}: decoded ${decoded} of ${frameCount} frames; ${why}`, { code: 'VALIDATION_FAILED', file: path });
  }
}
