import { UpframeError, type TensorLayout } from '@upframe/core';
import { findLayerWeight, type LayersModel, type TensorRef } from '@upframe/models';
import { ActivationMemory } from './activation-memory.js';
import type { LayerContext, Value } from './keras-layer-context.js';
import { converterFor, SUPPORTED_LAYER_CLASSES } from './keras-layer-converters.js';
import { encodeModel, type OnnxModel } from '@upframe/model-ncnn';
import { attr, OnnxGraphBuilder } from '@upframe/model-ncnn';

/** Bump when the converter's output changes, so cached conversions are redone. */
export const CONVERTER_VERSION = '1';
const ONNX_IR_VERSION = 8;
const ONNX_OPSET = 17;

export interface ConversionStats {
  readonly layers: number;
  readonly nodes: number;
  /** Floating-point operations (2 per multiply-add) per input pixel, convolutions only. */
  readonly flopsPerInputPixel: number;
  /** Largest set of float32 activations alive at once, per input pixel. */
  readonly peakActivationBytesPerInputPixel: number;
}

export interface ConvertedModel {
  readonly model: OnnxModel;
  readonly bytes: Uint8Array;
  readonly inputName: string;
  readonly outputName: string;
  /** Layout of the graph's input and output (inside it is always NCHW). */
  readonly layout: TensorLayout;
  readonly scale: number;
  readonly stats: ConversionStats;
}

const refKey = (r: TensorRef) => `${r.layer}:${r.nodeIndex}:${r.tensorIndex}`;

function modelError(code: 'MODEL_INVALID' | 'MODEL_INPUT_MISMATCH', model: LayersModel, why: string): UpframeError {
  return new UpframeError(code, `${model.file}: ${why}`, { file: model.file });
}

function inputChannels(model: LayersModel, layerName: string): void {
  const layer = model.graph.layers.find((l) => l.name === layerName);
  const shape = layer?.config.batch_input_shape ?? layer?.config.batch_shape;
  if (layer?.className !== 'InputLayer' || !Array.isArray(shape) || shape.length !== 4 || shape[3] !== 3) {
    throw modelError('MODEL_INPUT_MISMATCH', model, `input "${layerName}" is not an NHWC image with 3 channels (shape ${JSON.stringify(shape)})`);
  }
}

/**
 * Converts a TF.js layers model to ONNX. The graph runs NCHW inside; `layout` picks the layout of
 * its input and output (`nchw`, the default, needs no Transpose nodes because the caller's
 * pixel loop reorders for free). Unmapped layers throw `MODEL_UNSUPPORTED_LAYER` naming them.
 */
export function kerasToOnnx(model: LayersModel, options: { layout?: TensorLayout } = {}): ConvertedModel {
  const layout = options.layout ?? 'nchw';
  const { graph } = model;
  if (graph.inputs.length !== 1 || graph.outputs.length !== 1) {
    throw modelError('MODEL_INVALID', model, `has ${graph.inputs.length} inputs and ${graph.outputs.length} outputs; upframe runs image-in, image-out models`);
  }
  inputChannels(model, graph.inputs[0]!.layer);
  const b = new OnnxGraphBuilder(graph.name);
  const byName = new Map(graph.layers.map((l) => [l.name, l]));
  const values = new Map<string, Value>();
  const memory = new ActivationMemory();
  let flops = 0;

  const inputName = b.input('input', 'float32', layout === 'nchw' ? ['N', 3, 'H', 'W'] : ['N', 'H', 'W', 3]);
  const x = layout === 'nchw' ? inputName : b.node('Transpose', [inputName], [attr.ints('perm', [0, 3, 1, 2])], 'input_nchw');
  values.set(refKey(graph.inputs[0]!), { name: x, channels: 3, scale: 1 });
  memory.step(x, 3 * 4, []);

  const valueOf = (ref: TensorRef): Value => {
    const known = values.get(refKey(ref));
    if (known) return known;
    const layer = byName.get(ref.layer)!;
    const unsupported = (why: string): never => {
      throw new UpframeError('MODEL_UNSUPPORTED_LAYER', `${model.file}: layer "${layer.name}" (class ${layer.className}) cannot be converted to ONNX: ${why}`, {
        file: model.file,
        hint: `The ONNX converter maps ${SUPPORTED_LAYER_CLASSES.join(', ')}. Use the tfjs backend for this model, or export it to .onnx yourself and pass that file.`,
      });
    };
    if (ref.tensorIndex !== 0) unsupported(`output #${ref.tensorIndex} is used; only single-output layers are mapped`);
    const node = layer.inboundNodes[ref.nodeIndex];
    if (!node || layer.className === 'InputLayer') throw modelError('MODEL_INVALID', model, `no call #${ref.nodeIndex} of layer "${layer.name}"`);
    const convert = converterFor(layer.className) ?? unsupported('no ONNX mapping for this class');
    const inputs = node.map(valueOf);
    const ctx: LayerContext = {
      b,
      layer,
      inputs,
      hasWeight: (param) => findLayerWeight(model, layer.name, param) !== undefined,
      weight: (param) => findLayerWeight(model, layer.name, param) ?? (() => { throw modelError('MODEL_INVALID', model, `weight "${layer.name}/${param}" is missing from the weights manifest`); })(),
      unsupported,
      addFlops: (n) => void (flops += n),
    };
    const value = convert(ctx);
    // Identity layers (Dropout) hand their input through; it is already counted.
    if (!inputs.some((v) => v.name === value.name)) memory.step(value.name, value.channels * value.scale * value.scale * 4, inputs.map((v) => v.name));
    values.set(refKey(ref), value);
    return value;
  };

  const out = valueOf(graph.outputs[0]!);
  if (out.channels !== 3) throw modelError('MODEL_INVALID', model, `output has ${out.channels} channels, not 3 (RGB)`);
  if (!Number.isInteger(out.scale) || out.scale < 1) throw modelError('MODEL_INVALID', model, `output is ${out.scale}x the input size, not a whole upscale factor`);
  const finalName =
    layout === 'nhwc'
      ? b.node('Transpose', [out.name], [attr.ints('perm', [0, 2, 3, 1])], 'output')
      : out.name === x ? b.node('Identity', [x], [], 'output') : out.name;
  b.output(finalName, 'float32', layout === 'nchw' ? ['N', 3, 'OH', 'OW'] : ['N', 'OH', 'OW', 3]);
  const onnx = b.build({
    irVersion: ONNX_IR_VERSION,
    opset: ONNX_OPSET,
    producerName: 'upframe keras-to-onnx',
    producerVersion: CONVERTER_VERSION,
    docString: `converted from ${model.file}`,
  });
  return {
    model: onnx,
    bytes: encodeModel(onnx),
    inputName,
    outputName: finalName,
    layout,
    scale: out.scale,
    stats: {
      layers: graph.layers.length,
      nodes: b.nodeCount,
      flopsPerInputPixel: flops,
      peakActivationBytesPerInputPixel: memory.peak([out.name]),
    },
  };
}
