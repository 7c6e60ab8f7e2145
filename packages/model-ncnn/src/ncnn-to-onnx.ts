import { UpframeError } from '@upframe/core';
import { LayerParams } from './layer-params.js';
import type { NcnnModel, NcnnTopology } from './ncnn-model.js';
import { danglingBlobs, inferShapes, inputChannels, measureGeometry, type Geometry } from './ncnn-shapes.js';
import { encodeModel, type OnnxModel } from './onnx-model-encoder.js';
import { OnnxGraphBuilder } from './onnx-graph-builder.js';
import { opFor } from './op-registry.js';
import type { NcnnProfile } from './ncnn-profiles.js';
import { emitProfileInput, emitProfileOutput } from './profile-graph.js';
import { toFloat16Graph } from './onnx-fp16.js';

/** Bumped whenever the converter's output changes, so cached conversions are redone. */
export const NCNN_CONVERTER_VERSION = 1;

/** Precisions a converted graph computes in; the graph's input and output stay float32 either way. */
export const GRAPH_PRECISIONS = ['fp32', 'fp16'] as const;
export type GraphPrecision = (typeof GRAPH_PRECISIONS)[number];

export interface NcnnConversionOptions {
  /** `fp16`: FLOAT16 weights (ncnn's fp16 weights bit-exact) and fp16 compute, for CUDA. Default `fp32`. */
  readonly precision?: GraphPrecision;
  /** The blob to output; by default the profile's, else the one blob no layer consumes. */
  readonly outputBlob?: string;
  /**
   * Builds the tool's padding, alignment, crop and residual into the graph: it then maps an
   * `H`×`W` frame in 0–1 to exactly `scale·H`×`scale·W`, like any upscaler.
   */
  readonly profile?: NcnnProfile;
}

export interface NcnnConversion {
  /** ONNX with input `input` `[N, C, H, W]` and output `output` `[N, C', H', W']`, float32. */
  readonly onnx: Uint8Array;
  readonly model: OnnxModel;
  readonly precision: GraphPrecision;
  readonly inputChannels: number;
  readonly outputBlob: string;
  readonly geometry: Geometry;
  /** False when a layer mixes the whole image (global pooling, squeeze-excitation): tiles differ from whole frames. */
  readonly tileSafe: boolean;
}

const GLOBAL_TYPES = new Set(['Pooling', 'InnerProduct']);

function pickOutput(model: NcnnTopology, wanted: string | undefined): string {
  const dangling = danglingBlobs(model);
  if (wanted) {
    if (!model.param.layers.some((l) => l.tops.includes(wanted))) {
      throw new UpframeError('MODEL_INVALID', `${model.paramFile}: no layer produces the output blob "${wanted}"`, { file: model.paramFile });
    }
    return wanted;
  }
  if (dangling.length !== 1) {
    throw new UpframeError('MODEL_INVALID', `${model.paramFile}: cannot tell the output blob: ${dangling.length} blobs are unused (${dangling.join(', ')})`, {
      file: model.paramFile,
      hint: 'Name the output blob in the model profile (outputBlob).',
    });
  }
  return dangling[0]!;
}

/** Scale, shrink, alignment and FLOPs per input pixel of the graph's output blob (the profile's, else the one unused blob). */
export function ncnnGeometry(model: NcnnTopology, options: NcnnConversionOptions = {}): Geometry {
  return measureGeometry(model, pickOutput(model, options.outputBlob ?? options.profile?.outputBlob));
}

/** Converts a read ncnn model to an ONNX graph with dynamic batch, height and width. */
export function ncnnToOnnx(model: NcnnModel, options: NcnnConversionOptions = {}): NcnnConversion {
  const output = pickOutput(model, options.outputBlob ?? options.profile?.outputBlob);
  const geometry = measureGeometry(model, output);
  // Shapes at a probe size give every blob's rank and channel count; H and W stay symbolic in the graph.
  const probe = 256 + ((geometry.alignment - (256 % geometry.alignment)) % geometry.alignment);
  const { shapes } = inferShapes(model, probe, probe);
  const channels = inputChannels(model);
  const b = new OnnxGraphBuilder(model.paramFile.replace(/^.*[\\/]/, ''));
  const values = new Map<string, string>();
  const input = b.input('input', 'float32', ['N', channels, 'H', 'W']);
  model.param.layers.forEach((layer, i) => {
    if (layer.type === 'Input') {
      values.set(layer.tops[0]!, options.profile ? emitProfileInput(b, input, options.profile) : input);
      return;
    }
    const p = new LayerParams(layer, model.paramFile);
    const outs = opFor(layer, model.paramFile).emit({
      b,
      p,
      weights: model.weights[i]!,
      inputs: layer.bottoms.map((blob) => values.get(blob)!),
      inShapes: layer.bottoms.map((blob) => shapes.get(blob)!),
      outShapes: layer.tops.map((blob) => shapes.get(blob)!),
    });
    outs.forEach((v, k) => values.set(layer.tops[k]!, v));
  });
  const last = values.get(output)!;
  const framed = options.profile ? emitProfileOutput(b, last, input, options.profile, geometry, model.paramFile) : last;
  const result = b.node('Identity', [framed], [], 'output');
  b.output(result, 'float32', ['N', geometry.outputChannels, 'OH', 'OW']);
  const fp32 = b.build({
    irVersion: 8,
    opset: 17,
    producerName: 'upframe-model-ncnn',
    producerVersion: String(NCNN_CONVERTER_VERSION),
    docString: `Converted from ncnn ${model.paramFile}`,
  });
  const precision = options.precision ?? 'fp32';
  const onnxModel = precision === 'fp16' ? toFloat16Graph(fp32) : fp32;
  return {
    precision,
    onnx: encodeModel(onnxModel),
    model: onnxModel,
    inputChannels: channels,
    outputBlob: output,
    geometry,
    tileSafe: !model.param.layers.some((l) => GLOBAL_TYPES.has(l.type)),
  };
}
