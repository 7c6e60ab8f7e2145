import { readFileSync } from 'node:fs';
import { isUpframeError } from '@upframe/core';
import { describe, expect, it } from 'vitest';
import { parseTopology } from './layers-topology.js';
import { getModel } from './model-catalog.js';

const slimX2 = getModel('esrgan-slim-x2').paths!.modelJson;

function invalid(topology: unknown): Error {
  try {
    parseTopology(topology, '/m/model.json');
  } catch (error) {
    expect(isUpframeError(error, 'MODEL_INVALID')).toBe(true);
    expect((error as Error).message).toContain('/m/model.json');
    return error as Error;
  }
  throw new Error('expected MODEL_INVALID');
}

describe('parseTopology', () => {
  it('reads the Functional graph of esrgan-slim-x2', () => {
    const graph = parseTopology(JSON.parse(readFileSync(slimX2, 'utf8')).modelTopology, slimX2);
    expect(graph.name).toBe('generator');
    expect(graph.layers).toHaveLength(24);
    expect(graph.inputs).toEqual([{ layer: 'LR', nodeIndex: 0, tensorIndex: 0 }]);
    expect(graph.outputs).toEqual([{ layer: 'SR', nodeIndex: 0, tensorIndex: 0 }]);
    const concat = graph.layers.find((l) => l.name === 'RDB_Concat_1_1')!;
    expect(concat.className).toBe('Concatenate');
    expect(concat.config.axis).toBe(3);
    expect(concat.inboundNodes).toEqual([[{ layer: 'F_0', nodeIndex: 0, tensorIndex: 0 }, { layer: 'F_1_1_Relu', nodeIndex: 0, tensorIndex: 0 }]]);
  });

  it('reads Keras 3 inbound nodes (keras_history)', () => {
    const tensor = (layer: string) => ({ class_name: '__keras_tensor__', config: { shape: [null, null, null, 3], keras_history: [layer, 0, 0] } });
    const graph = parseTopology(
      {
        class_name: 'Functional',
        config: {
          name: 'k3',
          layers: [
            { class_name: 'InputLayer', name: 'in', config: { batch_shape: [null, null, null, 3] }, inbound_nodes: [] },
            { class_name: 'Add', name: 'add', config: {}, inbound_nodes: [{ args: [[tensor('in'), tensor('in')]], kwargs: {} }] },
          ],
          input_layers: ['in', 0, 0],
          output_layers: ['add', 0, 0],
        },
      },
      'k3.json',
    );
    expect(graph.layers[1]!.inboundNodes[0]).toHaveLength(2);
    expect(graph.inputs).toEqual([{ layer: 'in', nodeIndex: 0, tensorIndex: 0 }]);
  });

  it('turns a Sequential model into a chain with an input layer', () => {
    const graph = parseTopology(
      { model_config: { class_name: 'Sequential', config: { name: 'seq', layers: [{ class_name: 'Conv2D', config: { name: 'c', batch_input_shape: [null, null, null, 3] } }, { class_name: 'Activation', config: { name: 'a' } }] } } },
      'seq.json',
    );
    expect(graph.layers.map((l) => l.className)).toEqual(['InputLayer', 'Conv2D', 'Activation']);
    expect(graph.layers[2]!.inboundNodes).toEqual([[{ layer: 'c', nodeIndex: 0, tensorIndex: 0 }]]);
    expect(graph.outputs[0]!.layer).toBe('a');
  });

  it('names the file and the problem for broken topologies', () => {
    expect(invalid(undefined).message).toMatch(/modelTopology is missing/);
    expect(invalid({ class_name: 'Weird', config: {} }).message).toMatch(/"Weird" is not Functional/);
    expect(invalid({ class_name: 'Functional', config: { layers: [{ name: 'x' }] } }).message).toMatch(/no class_name/);
    const dangling = { class_name: 'Functional', config: { layers: [{ class_name: 'Add', name: 'a', inbound_nodes: [[['ghost', 0, 0, {}]]] }], input_layers: [['a', 0, 0]], output_layers: [['a', 0, 0]] } };
    expect(invalid(dangling).message).toMatch(/unknown layer "ghost"/);
  });
});
