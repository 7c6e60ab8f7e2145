import { readFileSync } from 'node:fs';
import { readNcnnTopology } from './ncnn-model.js';
import type { NcnnProfile } from './ncnn-profiles.js';
import type { Geometry } from './ncnn-shapes.js';
import { ncnnGeometry } from './ncnn-to-onnx.js';

/**
 * Geometry and FLOPs of a `.param` from its layer params alone: kernel sizes, channel counts and
 * weight counts are all in the `.param`, so listing models never reads or converts a `.bin`.
 */
export function ncnnParamGeometry(paramFile: string, profile?: NcnnProfile): Geometry {
  return ncnnGeometry(readNcnnTopology(readFileSync(paramFile, 'utf8'), paramFile), { profile });
}
