import type { Rational } from '@upframe/core';
import type { ProbeStream } from './ffprobe.js';

/** Parse `30000/1001`, `1/15360` or `25`; undefined for `0/0`, `N/A` and garbage. */
export function parseRational(text: string | undefined): Rational | undefined {
  if (!text) return undefined;
  const match = /^(\d+)(?:[/:](\d+))?$/.exec(text.trim());
  if (!match) return undefined;
  const num = Number(match[1]);
  const den = match[2] === undefined ? 1 : Number(match[2]);
  return num > 0 && den > 0 ? { num, den } : undefined;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

export function reduceRational(r: Rational): Rational {
  const g = gcd(r.num, r.den) || 1;
  return { num: r.num / g, den: r.den / g };
}

/** Rescale `value` from one time base to another, rounding to the nearest unit. */
export function rescale(value: number, from: Rational, to: Rational): number {
  if (from.num === to.num && from.den === to.den) return value;
  return Math.round((value * from.num * to.den) / (from.den * to.num));
}

/**
 * Per-frame durations from sorted pts: the gap to the next frame; the last frame lasts until the
 * stream's recorded end, else its packet duration (Matroska fills that from a default, so the
 * recorded end is the better witness), else the median gap.
 */
export function frameDurations(pts: readonly number[], lastPacketDuration?: number, streamEnd?: number): number[] {
  if (pts.length === 0) return [];
  const gaps = pts.slice(1).map((p, i) => p - pts[i]);
  const median = [...gaps].sort((a, b) => a - b)[Math.floor(gaps.length / 2)];
  const last = pts.at(-1)!;
  const toEnd = streamEnd !== undefined && streamEnd > last ? streamEnd - last : undefined;
  const packet = lastPacketDuration && lastPacketDuration > 0 ? lastPacketDuration : undefined;
  return [...gaps, toEnd ?? packet ?? median ?? 1];
}

/** Frames a stream's recorded end implies beyond the last pts (a cut file), estimated from the median gap. */
export function framesMissingAtEnd(pts: readonly number[], streamEnd: number | undefined): number {
  if (streamEnd === undefined || pts.length < 2) return 0;
  const gaps = pts.slice(1).map((p, i) => p - pts[i]).sort((a, b) => a - b);
  const median = gaps[Math.floor(gaps.length / 2)];
  const uncovered = streamEnd - pts.at(-1)! - median;
  return median > 0 && uncovered > median / 2 ? Math.round(uncovered / median) : 0;
}

/**
 * Variable frame rate: the frame gaps differ by more than rounding. A 1 ms time base turns 30 fps
 * into gaps of 33 and 34, which is still constant; anything wider is not.
 */
export function isVariableFrameRate(pts: readonly number[], stream?: ProbeStream): boolean {
  if (pts.length < 3) {
    const r = parseRational(stream?.r_frame_rate);
    const a = parseRational(stream?.avg_frame_rate);
    return r !== undefined && a !== undefined && Math.abs(r.num / r.den - a.num / a.den) > 0.01 * (r.num / r.den);
  }
  const gaps = pts.slice(1).map((p, i) => p - pts[i]);
  const mean = (pts.at(-1)! - pts[0]) / gaps.length;
  const tolerance = Math.max(1, mean * 0.002) + 1e-9;
  return gaps.some((g) => Math.abs(g - mean) > tolerance);
}

export function secondsOf(value: number, timeBase: Rational): number {
  return (value * timeBase.num) / timeBase.den;
}
