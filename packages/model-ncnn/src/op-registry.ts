import { UpframeError } from '@upframe/core';
import type { NcnnLayer } from './ncnn-param.js';
import type { NcnnOp } from './ncnn-op.js';
import { CONVOLUTION_OPS } from './ops-convolution.js';
import { CROP_OPS } from './ops-crop.js';
import { ELEMENTWISE_OPS } from './ops-elementwise.js';
import { LAYOUT_OPS } from './ops-layout.js';

const OPS: Readonly<Record<string, NcnnOp>> = { ...CONVOLUTION_OPS, ...ELEMENTWISE_OPS, ...LAYOUT_OPS, ...CROP_OPS };

/** ncnn layer types the importer converts (plus `Input`). */
export const SUPPORTED_NCNN_OPS = ['Input', ...Object.keys(OPS)].sort();

export function opFor(layer: NcnnLayer, file: string): NcnnOp {
  const op = Object.hasOwn(OPS, layer.type) ? OPS[layer.type] : undefined;
  if (!op) {
    throw new UpframeError(
      'MODEL_UNSUPPORTED_LAYER',
      `${file}:${layer.line}: layer ${layer.name} is a ${layer.type}, which upframe's ncnn importer does not support (it supports ${SUPPORTED_NCNN_OPS.join(', ')})`,
      { file, hint: 'Convert the model to ONNX with its original tools (e.g. pnnx) and pass the .onnx to --model, or open an issue naming the op.' },
    );
  }
  return op;
}
