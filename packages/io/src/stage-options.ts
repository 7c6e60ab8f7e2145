import { UpframeError } from '@upframe/core';
import type { ResolveBinariesOptions } from './ffmpeg-binaries.js';

type Extra = Readonly<Record<string, unknown>> | undefined;

/** Read an optional option of a given type from `extra`, failing with the option's name and what it expects. */
export function optionOf<T>(extra: Extra, key: string, expected: string, check: (v: unknown) => v is T): T | undefined {
  const value = extra?.[key];
  if (value === undefined) return undefined;
  if (!check(value)) throw new UpframeError('USAGE', `option "${key}" must be ${expected}, got ${JSON.stringify(value)}`);
  return value;
}

export const isString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
export const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
export const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
export const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

/** `extra.ffmpegPath` / `extra.ffprobePath` pick binaries for one stage (tests, side-by-side builds). */
export function binaryOptions(extra: Extra): ResolveBinariesOptions {
  return {
    ffmpegPath: optionOf(extra, 'ffmpegPath', 'a path string', isString),
    ffprobePath: optionOf(extra, 'ffprobePath', 'a path string', isString),
  };
}

/** Keys of `extra` a stage does not understand (typos), for a warning that lists what it does. */
export function unknownOptions(extra: Extra, known: readonly string[]): string[] {
  return Object.keys(extra ?? {}).filter((k) => !known.includes(k));
}
