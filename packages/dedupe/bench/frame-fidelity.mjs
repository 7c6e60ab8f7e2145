// Per-frame PSNR between two videos of the same size and frame count, decoded to rgb24 by ffmpeg.
import { runFfmpeg } from '../src/test-support/ffmpeg-exec.mjs';

/** Every frame of `file` as rgb24, in presentation order, without frame-rate conversion. */
export async function decodeRgb(file, width, height) {
  const { stdout } = await runFfmpeg(['-i', file, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-vsync', 'passthrough', '-']);
  const bytes = width * height * 3;
  if (stdout.length % bytes !== 0) throw new Error(`${file}: ${stdout.length} bytes is not a whole number of ${width}x${height} frames`);
  return Array.from({ length: stdout.length / bytes }, (_, i) => stdout.subarray(i * bytes, (i + 1) * bytes));
}

/** PSNR in dB over all RGB samples; Infinity for identical frames. */
export function psnr(a, b) {
  let sum = 0;
  for (let k = 0; k < a.length; k++) {
    const d = a[k] - b[k];
    sum += d * d;
  }
  return sum === 0 ? Infinity : 10 * Math.log10((255 * 255 * a.length) / sum);
}

/**
 * Compares `candidate` with `reference` frame by frame: the worst frame's PSNR, where it is, the
 * mean over frames that differ, and how many frames are bit-identical.
 */
export async function compareVideos(reference, candidate, width, height) {
  const [ref, cand] = await Promise.all([decodeRgb(reference, width, height), decodeRgb(candidate, width, height)]);
  if (ref.length !== cand.length) throw new Error(`${candidate} has ${cand.length} frames, ${reference} has ${ref.length}`);
  let min = Infinity;
  let worstFrame = -1;
  let identical = 0;
  let differing = 0;
  let sumDb = 0;
  for (let i = 0; i < ref.length; i++) {
    const db = psnr(ref[i], cand[i]);
    if (db === Infinity) identical++;
    else {
      differing++;
      sumDb += db;
    }
    if (db < min) {
      min = db;
      worstFrame = i;
    }
  }
  return { frames: ref.length, minPsnr: min, worstFrame, meanDifferingPsnr: differing ? sumDb / differing : Infinity, identical };
}
