import type { OnnxAttribute, OnnxElemType, OnnxModel, OnnxNode, OnnxTensor, OnnxValueInfo } from './onnx-model-encoder.js';

/** Attribute constructors: `attr.ints('pads', [1, 1, 1, 1])`. */
export const attr = {
  int: (name: string, value: number): OnnxAttribute => ({ name, type: 'int', value }),
  float: (name: string, value: number): OnnxAttribute => ({ name, type: 'float', value }),
  string: (name: string, value: string): OnnxAttribute => ({ name, type: 'string', value }),
  ints: (name: string, value: readonly number[]): OnnxAttribute => ({ name, type: 'ints', value }),
  floats: (name: string, value: readonly number[]): OnnxAttribute => ({ name, type: 'floats', value }),
};

type TensorData = Float32Array | Uint16Array | Int32Array | BigInt64Array | Uint8Array;

// raw_data is little-endian; typed arrays are in platform order, which is little-endian on every
// platform onnxruntime-node ships for (x64, arm64).
const rawBytes = (data: TensorData) => new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

/** Collects nodes, initializers and endpoints with unique value names, then emits an {@link OnnxModel}. */
export class OnnxGraphBuilder {
  private readonly nodes: OnnxNode[] = [];
  private readonly initializers: OnnxTensor[] = [];
  private readonly inputs: OnnxValueInfo[] = [];
  private readonly outputs: OnnxValueInfo[] = [];
  private readonly used = new Set<string>();

  constructor(readonly name: string) {}

  /** `base`, or `base_1`, `base_2`… if taken; ONNX value names must be unique in a graph. */
  unique(base: string): string {
    const clean = base.replace(/[^A-Za-z0-9_./:-]/g, '_') || 'v';
    let name = clean;
    for (let i = 1; this.used.has(name); i++) name = `${clean}_${i}`;
    this.used.add(name);
    return name;
  }

  input(name: string, elemType: OnnxElemType, shape: readonly (number | string)[]): string {
    const unique = this.unique(name);
    this.inputs.push({ name: unique, elemType, shape });
    return unique;
  }

  /** Marks the existing value `name` as a graph output. */
  output(name: string, elemType: OnnxElemType, shape: readonly (number | string)[]): void {
    this.outputs.push({ name, elemType, shape });
  }

  initializer(base: string, dims: readonly number[], data: TensorData, elemType: OnnxElemType = 'float32'): string {
    const name = this.unique(base);
    this.initializers.push({ name, dims: [...dims], elemType, raw: rawBytes(data) });
    return name;
  }

  floats(base: string, values: readonly number[], dims: readonly number[] = [values.length]): string {
    return this.initializer(base, dims, new Float32Array(values));
  }

  int64s(base: string, values: readonly number[]): string {
    return this.initializer(base, [values.length], BigInt64Array.from(values.map(BigInt)), 'int64');
  }

  /** Adds a single-output node and returns its output name. An empty input name means "omitted". */
  node(opType: string, inputs: readonly string[], attributes: readonly OnnxAttribute[] = [], base = opType): string {
    const output = this.unique(base);
    this.nodes.push({ opType, inputs, outputs: [output], name: output, attributes });
    return output;
  }

  get nodeCount(): number {
    return this.nodes.length;
  }

  build(meta: Omit<OnnxModel, 'graph'>): OnnxModel {
    return {
      ...meta,
      graph: { name: this.name, nodes: this.nodes, initializers: this.initializers, inputs: this.inputs, outputs: this.outputs },
    };
  }
}
