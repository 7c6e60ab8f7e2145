import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UpframeError } from '@upframe/core';
import { getModel, isModelId, requireInstalledModel, type ValueRange } from '@upframe/models';

/** Where a model's files are and which value ranges its tensors use. */
export interface ModelSource {
  /** Catalog id, or the model folder's name for a path. */
  readonly id: string;
  readonly modelJson: string;
  readonly inputRange: ValueRange;
  readonly outputRange: ValueRange;
  /** Catalog scale, checked against the model's real output; absent for paths. */
  readonly scale?: number;
}

const DEFAULT_RANGE: ValueRange = [0, 255];

function rangeOption(extra: Readonly<Record<string, unknown>>, key: 'inputRange' | 'outputRange'): ValueRange {
  const value = extra[key];
  if (value === undefined) return DEFAULT_RANGE;
  if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number' && Number.isFinite(v)) && value[0] < value[1]) {
    return [value[0], value[1]];
  }
  throw new UpframeError('USAGE', `tfjs backend option ${key} must be [low, high] with low < high, got ${JSON.stringify(value)}`, {
    hint: `Use [0, 255] (the default) or [0, 1] for models trained on 0..1 pixels.`,
  });
}

/**
 * Resolves the `model` option: a catalog id, a model.json path, or a folder holding one.
 * ONNX and ncnn files are refused with a pointer to the `onnx` backend; catalog models carry their
 * declared value ranges, paths take `extra.inputRange`/`outputRange` (default 0..255).
 */
export function resolveModelSource(model: string, extra: Readonly<Record<string, unknown>> = {}): ModelSource {
  if (/\.onnx$/i.test(model)) {
    throw new UpframeError('MODEL_INVALID', `${model} is an ONNX model; the tfjs backend runs TF.js layers models (catalog ids or a model.json)`, {
      file: model,
      hint: 'The onnx backend can run it: --backend onnx.',
    });
  }
  if (/\.(param|bin)$/i.test(model)) {
    throw new UpframeError('MODEL_INVALID', `${model} is an ncnn model; the tfjs backend runs TF.js layers models (catalog ids or a model.json)`, {
      file: model,
      hint: 'The onnx backend converts and runs ncnn models: --backend onnx (or --backend auto).',
    });
  }
  if (isModelId(model)) {
    const entry = requireInstalledModel(model);
    return { id: entry.id, modelJson: entry.paths.modelJson, inputRange: entry.inputRange, outputRange: entry.outputRange, scale: entry.scale };
  }
  const looksLikePath = /[\\/]/.test(model) || model.endsWith('.json') || existsSync(model);
  if (!looksLikePath) getModel(model); // throws MODEL_NOT_FOUND listing the catalog ids
  let file = resolve(model);
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'model.json');
  if (!existsSync(file)) {
    throw new UpframeError('MODEL_NOT_FOUND', `model file ${file} does not exist`, { file, hint: 'Pass a catalog id (see `upframe models`) or the path of a TF.js layers model.json.' });
  }
  return {
    id: basename(file) === 'model.json' ? basename(dirname(file)) : basename(file, '.json'),
    modelJson: file,
    inputRange: rangeOption(extra, 'inputRange'),
    outputRange: rangeOption(extra, 'outputRange'),
  };
}
