import type { LayerNode, WeightTensor } from '@upframe/models';
import type { OnnxGraphBuilder } from '@upframe/model-ncnn';

/** An NCHW value in the ONNX graph, with what the converter knows about its shape. */
export interface Value {
  readonly name: string;
  readonly channels: number;
  /** Spatial size relative to the model input (2 after a 2x upsample). */
  readonly scale: number;
}

/** What a layer converter gets: the builder, the layer, its converted inputs and helpers. */
export interface LayerContext {
  readonly b: OnnxGraphBuilder;
  readonly layer: LayerNode;
  readonly inputs: readonly Value[];
  /** The layer's weight `param` (`kernel`, `bias`…); throws `MODEL_INVALID` when absent. */
  weight(param: string): WeightTensor;
  hasWeight(param: string): boolean;
  /** Throws `MODEL_UNSUPPORTED_LAYER` naming the layer, its class and `why`. */
  unsupported(why: string): never;
  /** Records multiply-adds × 2 per input pixel, for throughput figures. */
  addFlops(perInputPixel: number): void;
}

export type LayerConverter = (ctx: LayerContext) => Value;

/** A Keras `int | [int, int]` config value as a pair. */
export function pair(value: unknown, fallback: number): [number, number] {
  if (typeof value === 'number') return [value, value];
  if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number')) return [value[0], value[1]];
  return [fallback, fallback];
}

export function only(ctx: LayerContext): Value {
  if (ctx.inputs.length !== 1) ctx.unsupported(`expected one input, got ${ctx.inputs.length}`);
  return ctx.inputs[0]!;
}
