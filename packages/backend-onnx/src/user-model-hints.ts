import { readFile } from 'node:fs/promises';
import { TENSOR_LAYOUTS, UpframeError, type TensorLayout } from '@upframe/core';

/** What a user can tell upframe about an .onnx model that its shapes do not say. */
export interface UserModelHints {
  readonly layout?: TensorLayout;
  /** Input value range; also the output's unless `outputRange` is given. Default [0, 1]. */
  readonly range?: readonly [number, number];
  readonly outputRange?: readonly [number, number];
  readonly scale?: number;
  readonly bytesPerInputPixel?: number;
}

/** `inputRange` is accepted as another name for `range`, matching the tfjs backend's option. */
export const HINT_KEYS = ['layout', 'range', 'inputRange', 'outputRange', 'scale', 'bytesPerInputPixel'] as const;

function checkRange(value: unknown, fail: (why: string) => never, key: string): readonly [number, number] {
  if (!Array.isArray(value) || value.length !== 2 || !value.every(Number.isFinite) || value[0] >= value[1]) {
    return fail(`"${key}" must be [low, high] with low < high, e.g. [0, 1] or [0, 255]`);
  }
  return [value[0], value[1]];
}

/** Validates hints from a sidecar file or from `extra`; `fail` throws with the caller's code and context. */
function validate(raw: Readonly<Record<string, unknown>>, fail: (why: string) => never): UserModelHints {
  const { layout, outputRange, scale, bytesPerInputPixel } = raw;
  const range = raw.range ?? raw.inputRange;
  if (layout !== undefined && !TENSOR_LAYOUTS.includes(layout as TensorLayout)) fail(`"layout" must be one of ${TENSOR_LAYOUTS.join(', ')}, got ${JSON.stringify(layout)}`);
  if (scale !== undefined && !(Number.isInteger(scale) && (scale as number) >= 1)) fail(`"scale" must be a whole number >= 1, got ${JSON.stringify(scale)}`);
  if (bytesPerInputPixel !== undefined && !(typeof bytesPerInputPixel === 'number' && bytesPerInputPixel > 0)) fail('"bytesPerInputPixel" must be a positive number');
  return {
    layout: layout as TensorLayout | undefined,
    range: range === undefined ? undefined : checkRange(range, fail, 'range'),
    outputRange: outputRange === undefined ? undefined : checkRange(outputRange, fail, 'outputRange'),
    scale: scale as number | undefined,
    bytesPerInputPixel: bytesPerInputPixel as number | undefined,
  };
}

async function readSidecar(modelFile: string): Promise<{ file: string; hints: UserModelHints } | undefined> {
  for (const file of [`${modelFile}.json`, modelFile.replace(/\.onnx$/i, '.json')]) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      continue;
    }
    const fail = (why: string): never => {
      throw new UpframeError('MODEL_INVALID', `model descriptor ${file}: ${why}`, { file, hint: `Allowed keys: ${HINT_KEYS.join(', ')}. Example: { "layout": "nchw", "range": [0, 1], "scale": 4 }` });
    };
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      return fail(`not valid JSON (${(error as Error).message})`);
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail('must be a JSON object');
    const unknown = Object.keys(raw).filter((k) => !(HINT_KEYS as readonly string[]).includes(k));
    if (unknown.length) fail(`unknown key(s) ${unknown.join(', ')}`);
    return { file, hints: validate(raw as Record<string, unknown>, fail) };
  }
  return undefined;
}

/**
 * Hints for `modelFile`: the sidecar `<model>.onnx.json` or `<model>.json`, overridden key by
 * key by the backend's `extra` options.
 */
export async function readUserModelHints(modelFile: string, extra: Readonly<Record<string, unknown>> = {}): Promise<UserModelHints> {
  const sidecar = await readSidecar(modelFile);
  const fromExtra = validate(extra, (why) => {
    throw new UpframeError('USAGE', `backend option ${why}`, { hint: `Backend options for .onnx models: ${HINT_KEYS.join(', ')}.` });
  });
  const merged: Record<string, unknown> = { ...sidecar?.hints };
  for (const [key, value] of Object.entries(fromExtra)) if (value !== undefined) merged[key] = value;
  return merged as UserModelHints;
}
