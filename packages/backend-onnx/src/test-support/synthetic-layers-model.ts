// Writes small Keras/TF.js layers models (model.json + one shard) with seeded random weights.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface SyntheticLayer {
  readonly name: string;
  readonly className: string;
  readonly config?: Record<string, unknown>;
  /** Names of the layers feeding this one; `input` is the model input. */
  readonly inbound: readonly string[];
  /** Weight shapes by parameter name (`kernel`, `bias`, `alpha`, `depthwise_kernel`). */
  readonly weights?: Readonly<Record<string, readonly number[]>>;
}

export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A Conv2D layer config as Keras 2.10 writes it. */
export function conv(name: string, filters: number, kernel: number, inbound: string, cin: number, extra: Record<string, unknown> = {}): SyntheticLayer {
  return {
    name,
    className: 'Conv2D',
    inbound: [inbound],
    config: { filters, kernel_size: [kernel, kernel], strides: [1, 1], padding: 'same', data_format: 'channels_last', dilation_rate: [1, 1], groups: 1, activation: 'linear', use_bias: true, ...extra },
    weights: { kernel: [kernel, kernel, cin, filters], bias: [filters] },
  };
}

/** Writes `dir/model.json` and `dir/group1-shard1of1.bin`; returns the model.json path. */
export async function writeLayersModel(dir: string, layers: readonly SyntheticLayer[], seed = 1): Promise<string> {
  const random = seededRandom(seed);
  const specs: { name: string; shape: number[]; dtype: 'float32' }[] = [];
  const values: number[] = [];
  for (const layer of layers) {
    for (const [param, shape] of Object.entries(layer.weights ?? {})) {
      const count = shape.reduce((a, b) => a * b, 1);
      const fanIn = shape.length === 4 ? shape[0]! * shape[1]! * shape[2]! : 1;
      const amplitude = param === 'alpha' ? 0.3 : param === 'bias' ? 0.1 : 1.5 / Math.sqrt(fanIn);
      for (let i = 0; i < count; i++) values.push((param === 'alpha' ? random() : random() * 2 - 1) * amplitude);
      specs.push({ name: `${layer.name}/${param}`, shape: [...shape], dtype: 'float32' });
    }
  }
  const input = { class_name: 'InputLayer', name: 'input', inbound_nodes: [], config: { batch_input_shape: [null, null, null, 3], dtype: 'float32', sparse: false, ragged: false, name: 'input' } };
  const keras = layers.map((l) => ({
    class_name: l.className,
    name: l.name,
    config: { name: l.name, trainable: true, dtype: 'float32', ...l.config },
    inbound_nodes: [l.inbound.map((n) => [n, 0, 0, {}])],
  }));
  const modelJson = {
    format: 'layers-model',
    generatedBy: 'upframe tests',
    convertedBy: null,
    modelTopology: {
      keras_version: '2.10.0',
      backend: 'tensorflow',
      model_config: {
        class_name: 'Functional',
        config: { name: 'synthetic', layers: [input, ...keras], input_layers: [['input', 0, 0]], output_layers: [[layers.at(-1)!.name, 0, 0]] },
      },
    },
    weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: specs }],
  };
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'group1-shard1of1.bin'), new Uint8Array(new Float32Array(values).buffer));
  const file = join(dir, 'model.json');
  await writeFile(file, JSON.stringify(modelJson));
  return file;
}
