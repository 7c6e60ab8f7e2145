/** Typed form of a Keras / TF.js layers model: the graph plus its weights as float32. */

/** One output tensor of one call of a layer (`["F_0", 0, 0]` in Keras JSON). */
export interface TensorRef {
  readonly layer: string;
  readonly nodeIndex: number;
  readonly tensorIndex: number;
}

export interface LayerNode {
  readonly name: string;
  /** Keras class, e.g. `Conv2D`, `Concatenate`, `PixelShuffle2x`. */
  readonly className: string;
  readonly config: Readonly<Record<string, unknown>>;
  /** One entry per call of the layer (shared layers are called more than once); each lists its inputs. */
  readonly inboundNodes: readonly (readonly TensorRef[])[];
}

export interface LayersGraph {
  readonly name: string;
  /** Layers in file order, which Keras writes topologically. */
  readonly layers: readonly LayerNode[];
  readonly inputs: readonly TensorRef[];
  readonly outputs: readonly TensorRef[];
}

/** Weight dtypes TF.js manifests use. */
export type WeightDtype = 'float32' | 'float16' | 'int32' | 'uint8' | 'uint16' | 'bool';

export interface WeightSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: WeightDtype;
  /** Quantized storage: value = stored * scale + min (uint8/uint16), or IEEE half (float16). */
  readonly quantization?: { readonly dtype: 'uint8' | 'uint16' | 'float16'; readonly scale?: number; readonly min?: number };
}

export interface WeightGroup {
  /** Shard files, relative to model.json, concatenated in order. */
  readonly paths: readonly string[];
  readonly weights: readonly WeightSpec[];
}

export interface WeightTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

export interface LayersModel {
  /** Absolute path of model.json. */
  readonly file: string;
  readonly generatedBy?: string;
  readonly graph: LayersGraph;
  readonly weights: ReadonlyMap<string, WeightTensor>;
}
