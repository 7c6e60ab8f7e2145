import { UpframeError } from '@upframe/core';
import { LayerParams } from './layer-params.js';
import type { LayerWeights } from './ncnn-op.js';
import { parseNcnnParam, type NcnnLayer, type NcnnParam } from './ncnn-param.js';
import { NcnnWeightReader, type NcnnStorage } from './ncnn-weight-reader.js';
import { opFor } from './op-registry.js';

/** A parsed `.param` whose ops are all supported: enough for the shape pass, geometry and FLOPs. */
export interface NcnnTopology {
  readonly param: NcnnParam;
  readonly paramFile: string;
  /** The one `Input` layer. */
  readonly input: NcnnLayer;
}

/** A parsed `.param` with every layer's weights from the `.bin`. */
export interface NcnnModel extends NcnnTopology {
  /** Parallel to `param.layers`. */
  readonly weights: readonly LayerWeights[];
  readonly binFile: string;
  /** How many weight buffers were stored in each form. */
  readonly storages: Readonly<Partial<Record<NcnnStorage, number>>>;
}

/** Parses `paramText` without its `.bin`, checking there is one Input layer and every op is supported. */
export function readNcnnTopology(paramText: string, paramFile = 'model.param'): NcnnTopology {
  const param = parseNcnnParam(paramText, paramFile);
  const inputs = param.layers.filter((l) => l.type === 'Input');
  if (inputs.length !== 1) {
    throw new UpframeError('MODEL_UNSUPPORTED_LAYER', `${paramFile}: the model has ${inputs.length} Input layers; upframe runs models with exactly one image input`, {
      file: paramFile,
    });
  }
  for (const layer of param.layers) if (layer.type !== 'Input') opFor(layer, paramFile);
  return { param, paramFile, input: inputs[0]! };
}

/**
 * Parses `paramText` and reads `bin` layer by layer as ncnn's `Net::load_model` does, checking
 * that every op is supported before its weights are read and that the whole `.bin` is consumed.
 */
export function readNcnnModel(paramText: string, bin: Uint8Array, paramFile = 'model.param', binFile = 'model.bin'): NcnnModel {
  const { param, input } = readNcnnTopology(paramText, paramFile);
  const reader = new NcnnWeightReader(bin, binFile);
  const storages: Partial<Record<NcnnStorage, number>> = {};
  const weights = param.layers.map((layer) => {
    if (layer.type === 'Input') return {};
    const p = new LayerParams(layer, paramFile);
    const w = opFor(layer, paramFile).readWeights?.(p, reader) ?? {};
    for (const buffer of Object.values(w)) storages[buffer.storage] = (storages[buffer.storage] ?? 0) + 1;
    return w;
  });
  reader.finish();
  return { param, weights, paramFile, binFile, storages, input };
}
