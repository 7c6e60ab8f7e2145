import { isModelId } from '@upframe/models';
import { isNcnnModelId, ncnnModelDirs, requireNcnnModel } from '@upframe/model-ncnn';

/**
 * `--model realesr-animevideov3-x2` (an ncnn model id, not a catalog id or a path) becomes the
 * `.param` found in the model folders; MODEL_NOT_FOUND says where such files come from.
 */
export function resolveNcnnModelId(model: string, extraDirs: readonly string[] = [], env: NodeJS.ProcessEnv = process.env): string {
  if (/[\\/.]/.test(model) || isModelId(model) || !isNcnnModelId(model)) return model;
  return requireNcnnModel(model, ncnnModelDirs(extraDirs, env));
}
