import type { OnnxGraphBuilder } from './onnx-graph-builder.js';
import type { LayerParams } from './layer-params.js';
import type { NcnnWeightReader, NcnnWeights } from './ncnn-weight-reader.js';

/**
 * A blob's shape as ncnn sees it, per image (no batch): `dims` 1 is `[w]`, 2 is `[h, w]`,
 * 3 is `[c, h, w]`. In the ONNX graph a blob gets a leading batch axis: `[N, w]`, `[N, h, w]`,
 * `[N, c, h, w]`.
 */
export interface NcnnShape {
  readonly dims: 1 | 2 | 3;
  readonly c: number;
  readonly h: number;
  readonly w: number;
}

export type LayerWeights = Readonly<Record<string, NcnnWeights>>;

export interface EmitContext {
  readonly b: OnnxGraphBuilder;
  readonly p: LayerParams;
  readonly weights: LayerWeights;
  /** ONNX value names of the layer's bottoms. */
  readonly inputs: readonly string[];
  /** ncnn shapes of the bottoms and tops for the probe input (ranks and channel counts are exact). */
  readonly inShapes: readonly NcnnShape[];
  readonly outShapes: readonly NcnnShape[];
}

/** How one ncnn layer type is read, shaped and written as ONNX. */
export interface NcnnOp {
  /** Reads the layer's buffers from the `.bin`, in the order ncnn's `load_model` does. */
  readonly readWeights?: (p: LayerParams, reader: NcnnWeightReader) => LayerWeights;
  readonly shape: (p: LayerParams, inputs: readonly NcnnShape[]) => readonly NcnnShape[];
  /** Returns one ONNX value name per top. */
  readonly emit: (ctx: EmitContext) => readonly string[];
}

export const shape3 = (c: number, h: number, w: number): NcnnShape => ({ dims: 3, c, h, w });
export const shape1 = (w: number): NcnnShape => ({ dims: 1, c: 1, h: 1, w });

/** Scalar count of a shape. */
export const elementCount = (s: NcnnShape): number => s.c * s.h * s.w;
