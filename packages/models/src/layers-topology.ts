import { UpframeError } from '@upframe/core';
import type { LayerNode, LayersGraph, TensorRef } from './layers-model-types.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function invalid(file: string, why: string): UpframeError {
  return new UpframeError('MODEL_INVALID', `${file}: ${why}`, {
    file,
    hint: 'The file is not a TF.js layers model.json that upframe can read; re-export it or check that it is complete.',
  });
}

/** `["F_0", 0, 0, {}]` (Keras 2) → TensorRef. */
function parseRef(value: unknown, file: string, where: string): TensorRef {
  if (Array.isArray(value) && typeof value[0] === 'string') {
    return { layer: value[0], nodeIndex: Number(value[1] ?? 0), tensorIndex: Number(value[2] ?? 0) };
  }
  throw invalid(file, `${where}: expected ["layer", node, tensor], got ${JSON.stringify(value)?.slice(0, 80)}`);
}

/** Keras 3 writes `{ args: [...], kwargs }` whose tensors carry `keras_history`; collect them in order. */
function collectKerasHistory(value: unknown, out: TensorRef[]): void {
  if (Array.isArray(value)) value.forEach((v) => collectKerasHistory(v, out));
  else if (isObject(value)) {
    const history = isObject(value.config) ? value.config.keras_history : undefined;
    if (Array.isArray(history)) out.push({ layer: String(history[0]), nodeIndex: Number(history[1]), tensorIndex: Number(history[2]) });
    else Object.values(value).forEach((v) => collectKerasHistory(v, out));
  }
}

function parseInboundNodes(value: unknown, file: string, layer: string): TensorRef[][] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw invalid(file, `layer "${layer}": inbound_nodes is not a list`);
  return value.map((node) => {
    if (isObject(node)) {
      const refs: TensorRef[] = [];
      collectKerasHistory(node.args, refs);
      return refs;
    }
    if (!Array.isArray(node)) throw invalid(file, `layer "${layer}": an inbound node is not a list`);
    return node.map((ref) => parseRef(ref, file, `layer "${layer}"`));
  });
}

/** `[["LR", 0, 0]]` or a single `["LR", 0, 0]`. */
function parseEndpoints(value: unknown, file: string, what: string): TensorRef[] {
  if (!Array.isArray(value) || value.length === 0) throw invalid(file, `model_config has no ${what}`);
  if (typeof value[0] === 'string') return [parseRef(value, file, what)];
  return value.map((v) => parseRef(v, file, what));
}

function parseLayer(raw: unknown, file: string, index: number): Omit<LayerNode, 'inboundNodes'> & { inbound: unknown } {
  if (!isObject(raw) || typeof raw.class_name !== 'string') throw invalid(file, `layer #${index} has no class_name`);
  const config = isObject(raw.config) ? raw.config : {};
  const name = typeof raw.name === 'string' ? raw.name : typeof config.name === 'string' ? config.name : undefined;
  if (!name) throw invalid(file, `layer #${index} (${raw.class_name}) has no name`);
  return { name, className: raw.class_name, config, inbound: raw.inbound_nodes };
}

function sequentialGraph(name: string, rawLayers: unknown[], file: string): LayersGraph {
  const layers: LayerNode[] = [];
  const parsed = rawLayers.map((l, i) => parseLayer(l, file, i));
  if (parsed[0]?.className !== 'InputLayer') {
    const shape = parsed[0]?.config.batch_input_shape;
    if (!Array.isArray(shape)) throw invalid(file, 'Sequential model without an InputLayer or batch_input_shape');
    layers.push({ name: `${name}_input`, className: 'InputLayer', config: { batch_input_shape: shape }, inboundNodes: [] });
  }
  for (const layer of parsed) {
    const previous = layers.at(-1);
    const inbound = previous ? [[{ layer: previous.name, nodeIndex: 0, tensorIndex: 0 }]] : [];
    layers.push({ name: layer.name, className: layer.className, config: layer.config, inboundNodes: inbound });
  }
  const first = layers[0]!;
  const last = layers.at(-1)!;
  return { name, layers, inputs: [{ layer: first.name, nodeIndex: 0, tensorIndex: 0 }], outputs: [{ layer: last.name, nodeIndex: 0, tensorIndex: 0 }] };
}

/**
 * Parses `modelTopology` of a TF.js layers model.json (Functional or Sequential, Keras 2 or 3
 * node format) into a typed graph. Throws `MODEL_INVALID` naming `file` when it cannot.
 */
export function parseTopology(topology: unknown, file: string): LayersGraph {
  if (!isObject(topology)) throw invalid(file, 'modelTopology is missing');
  const modelConfig = isObject(topology.model_config) ? topology.model_config : topology;
  const className = modelConfig.class_name;
  const config = modelConfig.config;
  if (className === 'Sequential') {
    const rawLayers = Array.isArray(config) ? config : isObject(config) ? config.layers : undefined;
    if (!Array.isArray(rawLayers) || rawLayers.length === 0) throw invalid(file, 'Sequential model has no layers');
    const name = isObject(config) && typeof config.name === 'string' ? config.name : 'sequential';
    return sequentialGraph(name, rawLayers, file);
  }
  if (className !== 'Functional' && className !== 'Model') {
    throw invalid(file, `model class "${String(className)}" is not Functional, Model or Sequential`);
  }
  if (!isObject(config) || !Array.isArray(config.layers)) throw invalid(file, 'model_config.config.layers is missing');
  const layers: LayerNode[] = config.layers.map((raw, i) => {
    const layer = parseLayer(raw, file, i);
    return { name: layer.name, className: layer.className, config: layer.config, inboundNodes: parseInboundNodes(layer.inbound, file, layer.name) };
  });
  const known = new Set(layers.map((l) => l.name));
  const check = (ref: TensorRef, where: string) => {
    if (!known.has(ref.layer)) throw invalid(file, `${where} refers to unknown layer "${ref.layer}"`);
  };
  for (const layer of layers) for (const node of layer.inboundNodes) node.forEach((ref) => check(ref, `layer "${layer.name}"`));
  const inputs = parseEndpoints(config.input_layers, file, 'input_layers');
  const outputs = parseEndpoints(config.output_layers, file, 'output_layers');
  inputs.forEach((r) => check(r, 'input_layers'));
  outputs.forEach((r) => check(r, 'output_layers'));
  return { name: typeof config.name === 'string' ? config.name : 'model', layers, inputs, outputs };
}
