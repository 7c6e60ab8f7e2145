import type { BlockThresholds } from './block-difference.js';
import { numberOption, rejectUnknownOptions } from './option-parsing.js';

export const NEAR_OPTION_KEYS = ['hi', 'lo', 'frac', 'dc', 'dcFrac', 'chroma', 'shift', 'maxRunFrames', 'maxRunSeconds'] as const;

export interface NearOptions extends BlockThresholds {
  /** At most this many duplicates in a row; the next frame is inferred. */
  readonly maxRunFrames: number;
  /** A duplicate may reuse an output at most this many seconds older than itself. */
  readonly maxRunSeconds: number;
}

/** Defaults chosen with bench/accuracy.mjs; the README explains the numbers. */
export const NEAR_DEFAULTS: NearOptions = Object.freeze({
  hi: 448,
  lo: 320,
  frac: 0.03,
  dc: 64,
  dcFrac: 0.15,
  chroma: 2048,
  shift: 0.25,
  maxRunFrames: 120,
  maxRunSeconds: 1,
});

const SAD_MAX = 64 * 255;

export function parseNearOptions(raw: Readonly<Record<string, unknown>> = {}): NearOptions {
  rejectUnknownOptions('near', raw, NEAR_OPTION_KEYS);
  const n = (key: keyof NearOptions, min: number, max: number, integer = false) =>
    numberOption('near', raw, key, { min, max, integer }, NEAR_DEFAULTS[key]);
  return {
    hi: n('hi', 0, SAD_MAX, true),
    lo: n('lo', 0, SAD_MAX, true),
    frac: n('frac', 0, 1),
    dc: n('dc', 0, SAD_MAX, true),
    dcFrac: n('dcFrac', 0, 1),
    chroma: n('chroma', 0, 2 * 2 * SAD_MAX, true),
    shift: n('shift', 0, 255),
    maxRunFrames: n('maxRunFrames', 0, 1_000_000, true),
    maxRunSeconds: n('maxRunSeconds', 0, 86_400),
  };
}
