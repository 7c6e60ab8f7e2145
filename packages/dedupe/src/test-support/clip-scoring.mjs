// Scores dedupe decisions against a clip's ground truth; shared by the tests and the bench.

/** group[i] numbers runs of identical content: frames with equal group show the same picture. */
export function contentGroups(held) {
  let g = 0;
  return held.map((h, i) => (i > 0 && !h ? ++g : g));
}

/**
 * `refs[i]` is the frame i reuses, or -1 when inferred. recall: held frames correctly reused /
 * held frames. falseDuplicates: frames reusing a reference whose content differs (every moving
 * frame marked duplicate, plus held frames after one, which reuse the wrong picture); falseRate
 * divides them by the moving frames (frames after the first whose content changed).
 */
export function score(refs, held) {
  const group = contentGroups(held);
  let heldCount = 0;
  let found = 0;
  let wrong = 0;
  refs.forEach((ref, i) => {
    if (held[i]) heldCount++;
    if (ref < 0) return;
    if (group[ref] === group[i]) found++;
    else wrong++;
  });
  const moving = held.length - 1 - heldCount;
  return {
    held: heldCount,
    moving,
    found,
    recall: heldCount ? found / heldCount : NaN,
    falseDuplicates: wrong,
    falseRate: moving ? wrong / moving : wrong ? Infinity : 0,
  };
}

/** Fraction of frames where refs (reuse or not) agree with another tool's drop decisions. */
export function agreement(refs, drops) {
  let same = 0;
  refs.forEach((ref, i) => {
    if ((ref >= 0) === drops[i]) same++;
  });
  return same / refs.length;
}

/** mpdecimate-style drop flags as refs: a dropped frame reuses the last kept one. */
export function dropsToRefs(drops) {
  let kept = -1;
  return drops.map((drop, i) => (drop ? kept : ((kept = i), -1)));
}

/** PSNR in dB over every sample of two equal-length frames (255 peak); Infinity when identical. */
export function framePsnr(a, b) {
  let sum = 0;
  for (let k = 0; k < a.length; k++) {
    const d = a[k] - b[k];
    sum += d * d;
  }
  return sum === 0 ? Infinity : 10 * Math.log10((255 * 255 * a.length) / sum);
}

/**
 * Held frames that can be reused at all without breaking a fidelity floor: those whose decoded
 * pixels are within `minPsnr` dB of the first frame of their drawing (the reference a perfect
 * decision would reuse). On noisy clips some held frames are not: their own noise already differs
 * more than the floor allows, and inferring them is the right call. reusableRecall is recall over
 * the reusable ones.
 */
export function reusableRecall(refs, held, frames, minPsnr) {
  const group = contentGroups(held);
  const first = [];
  group.forEach((g, i) => (first[g] ??= i));
  let reusable = 0;
  let found = 0;
  held.forEach((h, i) => {
    if (!h || framePsnr(frames[i], frames[first[group[i]]]) < minPsnr) return;
    reusable++;
    if (refs[i] >= 0 && group[refs[i]] === group[i]) found++;
  });
  return { reusable, found, recall: reusable ? found / reusable : NaN };
}
