import type { OptionSchema, OptionSpec } from '@upframe/core';
import type { BlockThresholds } from './block-difference.js';
import type { FadeStepSettings } from './fade-steps.js';
import { numberOption, rejectUnknownOptions } from './option-parsing.js';

export const NEAR_OPTION_KEYS = ['hi', 'lo', 'frac', 'dc', 'dcFrac', 'chroma', 'shift', 'shiftRatio', 'shiftMax', 'shiftSpan', 'hiNoise', 'dcNoise', 'hiMax', 'psnr', 'outputSamples', 'outputLiftMax', 'maxRunFrames', 'maxRunSeconds'] as const;

export interface NearOptions extends BlockThresholds, FadeStepSettings {
  /**
   * A frame reuses the reference's output only if its pixels are at least this many dB (PSNR
   * over every RGB sample) from the reference's; 0 turns the check off.
   */
  readonly psnr: number;
  /**
   * Held frames a little further than `psnr` from the reference (grain) are judged by the model's
   * outputs: the first this many are upscaled together with the reference to learn how much the
   * model lifts this clip's PSNR (output-fidelity.ts); 0 turns that off.
   */
  readonly outputSamples: number;
  /** Only frames at most this many dB under `psnr` are judged by the outputs; the learned lift is capped here too. */
  readonly outputLiftMax: number;
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
  shiftRatio: 0.3,
  shiftMax: 1.5,
  shiftSpan: 24,
  hiNoise: 3,
  dcNoise: 0.5,
  hiMax: 768,
  psnr: 40,
  outputSamples: 3,
  outputLiftMax: 3,
  maxRunFrames: 120,
  maxRunSeconds: 1,
});

const SAD_MAX = 64 * 255;

const rule = (type: 'integer' | 'number', min: number, max: number, key: keyof NearOptions, description: string): OptionSpec => ({ type, min, max, default: NEAR_DEFAULTS[key], description });

/** Every threshold `near` reads; the bounds here are also what `parseNearOptions` enforces. */
export const NEAR_OPTION_SCHEMA = {
  hi: rule('integer', 0, SAD_MAX, 'hi', 'any 8×8 block with a luma SAD above this makes the frame different'),
  lo: rule('integer', 0, SAD_MAX, 'lo', 'blocks with a luma SAD above this count towards frac'),
  frac: rule('number', 0, 1, 'frac', 'more than this fraction of blocks above lo makes the frame different'),
  dc: rule('integer', 0, SAD_MAX, 'dc', 'blocks whose summed luma change exceeds this count towards dcFrac'),
  dcFrac: rule('number', 0, 1, 'dcFrac', 'more than this fraction of blocks above dc makes the frame different'),
  chroma: rule('integer', 0, 2 * 2 * SAD_MAX, 'chroma', 'any 8×8 block whose colour shift exceeds this makes the frame different'),
  shift: rule('number', 0, 255, 'shift', 'a mean luma change above this many levels makes the frame different (fades)'),
  shiftRatio: rule('number', 0, 1, 'shiftRatio', 'during a fade, shift rises to this fraction of the smallest mean-luma step of recent new frames; 0 keeps it fixed'),
  shiftMax: rule('number', 0, 255, 'shiftMax', 'however large the fade steps, the raised shift stays at or under this many levels'),
  shiftSpan: rule('integer', 1, 60, 'shiftSpan', 'fade steps recorded more than this many frames ago are forgotten'),
  hiNoise: rule('number', 0, 64, 'hiNoise', 'hi and lo rise by this many times the 90th-percentile block SAD of the comparison (its noise floor)'),
  dcNoise: rule('number', 0, 64, 'dcNoise', 'dc rises by this many times the median block SAD of the comparison'),
  hiMax: rule('integer', 0, 2 * SAD_MAX, 'hiMax', 'however noisy the clip, a block SAD above this makes the frame different'),
  psnr: rule('number', 0, 100, 'psnr', 'a duplicate must be at least this many dB (RGB PSNR) from the reference; 0 turns the check off'),
  outputSamples: rule('integer', 0, 64, 'outputSamples', "frames just under psnr are judged by the run's model: this many are upscaled with their reference to learn the clip's lift; 0 = off"),
  outputLiftMax: rule('number', 0, 20, 'outputLiftMax', 'only frames at most this many dB under psnr are judged by the outputs, and the learned lift is capped here'),
  maxRunFrames: rule('integer', 0, 1_000_000, 'maxRunFrames', 'at most this many duplicates in a row'),
  maxRunSeconds: rule('number', 0, 86_400, 'maxRunSeconds', 'a duplicate reuses an output at most this many seconds older'),
} satisfies Record<(typeof NEAR_OPTION_KEYS)[number], OptionSpec> & OptionSchema;

export function parseNearOptions(raw: Readonly<Record<string, unknown>> = {}): NearOptions {
  rejectUnknownOptions('near', raw, NEAR_OPTION_KEYS);
  const n = (key: keyof NearOptions) => {
    const spec = NEAR_OPTION_SCHEMA[key];
    return numberOption('near', raw, key, { min: spec.min ?? 0, max: spec.max ?? Infinity, integer: spec.type === 'integer' }, NEAR_DEFAULTS[key]);
  };
  return {
    hi: n('hi'),
    lo: n('lo'),
    frac: n('frac'),
    dc: n('dc'),
    dcFrac: n('dcFrac'),
    chroma: n('chroma'),
    shift: n('shift'),
    shiftRatio: n('shiftRatio'),
    shiftMax: n('shiftMax'),
    shiftSpan: n('shiftSpan'),
    hiNoise: n('hiNoise'),
    dcNoise: n('dcNoise'),
    hiMax: n('hiMax'),
    psnr: n('psnr'),
    outputSamples: n('outputSamples'),
    outputLiftMax: n('outputLiftMax'),
    maxRunFrames: n('maxRunFrames'),
    maxRunSeconds: n('maxRunSeconds'),
  };
}
