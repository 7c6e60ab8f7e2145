import { UpframeError, type Rational } from '@upframe/core';

/** One part of a distributed job: a range of frames (presentation order) that starts at an input keyframe. */
export interface PlannedPart {
  readonly index: number;
  /** First frame of the part, 0-based over the whole input. */
  readonly firstFrame: number;
  /** One past the part's last frame. */
  readonly endFrame: number;
  /** Pts of the first frame (a keyframe, so a worker can seek to it), in the stream's time base. */
  readonly startPts: number;
}

export interface PartPlanInput {
  /** Presentation timestamps of every frame, sorted. */
  readonly framePts: readonly number[];
  /** Pts of the keyframes. */
  readonly keyframePts: readonly number[];
  readonly timeBase: Rational;
  /** Wanted part length; parts end at the first keyframe at or after it. */
  readonly partSeconds: number;
}

/** A tail shorter than this share of a part joins the part before it: its start-up would cost more than it saves. */
const MIN_TAIL_SHARE = 0.25;

/**
 * Cut a video into parts of about `partSeconds` that each start at a keyframe, so a worker can
 * seek there and decode only its own frames. Part 0 starts at frame 0 whatever it is (a decoder
 * starting at the file's start needs no keyframe). With keyframes far apart a part is longer than
 * asked; with none but the first, the whole video is one part.
 */
export function planParts({ framePts, keyframePts, timeBase, partSeconds }: PartPlanInput): PlannedPart[] {
  if (!(partSeconds > 0)) throw new UpframeError('USAGE', `--part-seconds must be a positive number of seconds (got ${partSeconds})`);
  if (framePts.length === 0) throw new UpframeError('INPUT_INVALID', 'the video has no frames to plan parts for');
  const seconds = (pts: number) => (pts * timeBase.num) / timeBase.den;
  const indexOf = new Map<number, number>();
  framePts.forEach((pts, i) => {
    if (!indexOf.has(pts)) indexOf.set(pts, i);
  });
  const keyframes = [...new Set(keyframePts)].map((pts) => indexOf.get(pts)).filter((i): i is number => i !== undefined && i > 0).sort((a, b) => a - b);

  const starts = [0];
  for (const k of keyframes) {
    // A microsecond of slack: 2.4 s - 1.6 s is 0.7999… in floating point.
    if (seconds(framePts[k]) - seconds(framePts[starts.at(-1)!]) >= partSeconds - 1e-6) starts.push(k);
  }
  const total = seconds(framePts.at(-1)!) - seconds(framePts[0]);
  if (starts.length > 1 && total - (seconds(framePts[starts.at(-1)!]) - seconds(framePts[0])) < partSeconds * MIN_TAIL_SHARE) starts.pop();
  return starts.map((first, index) => ({
    index,
    firstFrame: first,
    endFrame: index + 1 < starts.length ? starts[index + 1] : framePts.length,
    startPts: framePts[first],
  }));
}
