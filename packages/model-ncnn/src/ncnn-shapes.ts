import { UpframeError } from '@upframe/core';
import { LayerParams } from './layer-params.js';
import type { NcnnTopology } from './ncnn-model.js';
import { shape3, type NcnnShape } from './ncnn-op.js';
import { opFor } from './op-registry.js';

/** Channels of the Input layer (param 2), 3 when it does not say. */
export const inputChannels = (model: NcnnTopology): number => new LayerParams(model.input, model.paramFile).int(2, 0) || 3;

export interface ShapePass {
  readonly shapes: ReadonlyMap<string, NcnnShape>;
  /** Multiply-accumulates of Convolution, Deconvolution and InnerProduct layers for this input. */
  readonly macs: number;
  /** Elements of the largest blob. */
  readonly largestBlob: number;
}

/** Runs every layer's shape rule for an input of `h`×`w`; throws (naming the layer) where the size does not fit. */
// The weight count is a layer param (weight_data_size), so MACs need no `.bin`.
const WEIGHT_COUNT_PARAM: Readonly<Record<string, number>> = { Convolution: 6, ConvolutionDepthWise: 6, Deconvolution: 6, DeconvolutionDepthWise: 6, InnerProduct: 2 };

export function inferShapes(model: NcnnTopology, h: number, w: number): ShapePass {
  const shapes = new Map<string, NcnnShape>();
  let macs = 0;
  let largestBlob = 0;
  model.param.layers.forEach((layer) => {
    const p = new LayerParams(layer, model.paramFile);
    if (layer.type === 'Input') {
      shapes.set(layer.tops[0]!, shape3(inputChannels(model), h, w));
      return;
    }
    const ins = layer.bottoms.map((blob) => {
      const s = shapes.get(blob);
      if (!s) throw p.invalid(`input blob ${blob} is not produced by an earlier layer`);
      return s;
    });
    const outs = opFor(layer, model.paramFile).shape(p, ins);
    if (outs.length !== layer.tops.length) throw p.invalid(`has ${layer.tops.length} tops but produces ${outs.length}`);
    outs.forEach((s, k) => {
      shapes.set(layer.tops[k]!, s);
      largestBlob = Math.max(largestBlob, s.c * s.h * s.w);
    });
    const countParam = WEIGHT_COUNT_PARAM[layer.type];
    if (countParam !== undefined) {
      const weights = p.int(countParam, 0);
      const out = outs[0]!;
      const perOutput = weights / (p.int(0, 1) || 1);
      macs += layer.type.startsWith('Deconvolution') ? weights * ins[0]!.h * ins[0]!.w : perOutput * out.c * out.h * out.w;
    }
  });
  return { shapes, macs, largestBlob };
}

/** Blobs produced but never consumed, in layer order. */
export function danglingBlobs(model: NcnnTopology): string[] {
  const used = new Set(model.param.layers.flatMap((l) => l.bottoms));
  return model.param.layers.flatMap((l) => l.tops).filter((t) => !used.has(t));
}

export interface Geometry {
  /** Output size = scale × input − shrink (per axis). */
  readonly scale: number;
  readonly shrink: number;
  /** Input sizes must be a multiple of this (after the tools' padding) for the graph to fit. */
  readonly alignment: number;
  readonly outputChannels: number;
  /** FLOPs (2 × MACs) per input pixel, for large inputs. */
  readonly flopsPerPixel: number;
  /**
   * Estimated float32 working memory per input pixel: three blobs the size of the largest live at
   * once (a layer's input and output and one skip connection). An estimate for the batch sizer.
   */
  readonly activationBytesPerPixel: number;
}

const PROBE = 256;

/** Scale, border shrink and size alignment measured by shape passes at a few input sizes. */
export function measureGeometry(model: NcnnTopology, output: string): Geometry {
  const outAt = (size: number) => {
    const pass = inferShapes(model, size, size);
    const s = pass.shapes.get(output)!;
    if (s.dims !== 3) throw new UpframeError('MODEL_UNSUPPORTED_LAYER', `${model.paramFile}: output blob ${output} is ${s.dims}-D, not an image`, { file: model.paramFile });
    return { size: s.w, pass, c: s.c };
  };
  const a = outAt(PROBE);
  const b = outAt(PROBE * 2);
  const scale = (b.size - a.size) / PROBE;
  const shrink = scale * PROBE - a.size;
  let alignment = 1;
  for (; alignment < 64; alignment++) {
    try {
      if (outAt(PROBE + alignment).size === scale * (PROBE + alignment) - shrink) break;
    } catch {
      // this size does not fit the graph; try the next
    }
  }
  const pixels = (PROBE * 2) ** 2;
  return { scale, shrink, alignment, outputChannels: a.c, flopsPerPixel: (2 * b.pass.macs) / pixels, activationBytesPerPixel: Math.ceil((3 * 4 * b.pass.largestBlob) / pixels) };
}
