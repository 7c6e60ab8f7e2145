import { chw, type Chw } from './ncnn-reference.js';
import { noise } from './run-converted.js';
import { NcnnModelWriter } from './ncnn-writer.js';

export const image = (c: number, h: number, w: number, seed = 3): Chw => {
  const v = noise(c * h * w, seed);
  return chw(c, h, w, (k, y, x) => v[(k * h + y) * w + x]!);
};

/** Multiples of 1/64 in [-1, 1]: exact in fp16, so every storage form holds the same numbers. */
export const exact = (n: number, seed: number): number[] => noise(n, seed).map((v) => Math.round(v * 64) / 64);

/** A writer that starts with an `Input` layer producing `data` with `c` channels. */
export const withInput = (c = 3): NcnnModelWriter => new NcnnModelWriter().layer('Input', 'in', [], ['data'], { 0: 0, 1: 0, 2: c });
