import { TOKENS, createUpframeContainer, parseOptionPairs } from '@upframe/core';
import { describe, expect, it } from 'vitest';
import { HINT_KEYS } from './user-model-hints.js';
import { register } from './register.js';

describe('onnx option schema', () => {
  it('is declared where onnx registers, and what it parses is what the backend reads', () => {
    const container = createUpframeContainer();
    register(container);
    const entry = container.resolve(TOKENS.Backends).get('onnx');
    const extra = parseOptionPairs(['maxBatch=1', 'worker=off', 'tensorrt=no', 'ioLayout=nhwc'], entry.options, 'backend onnx');
    expect(extra).toEqual({ maxBatch: 1, worker: 'off', tensorrt: false, ioLayout: 'nhwc' });
    const backend = entry.create(container, { model: 'esrgan-slim-x2', device: 'cpu', extra });
    expect(backend.capabilities().maxBatch).toBe(1);
  });

  it('covers every key a user .onnx model\'s hints may come from', () => {
    const container = createUpframeContainer();
    register(container);
    const keys = Object.keys(container.resolve(TOKENS.Backends).get('onnx').options ?? {});
    for (const key of HINT_KEYS) expect(keys).toContain(key);
    // Ranges travel as [low, high], the shape the hint reader checks.
    expect(parseOptionPairs(['inputRange=0,255'], container.resolve(TOKENS.Backends).get('onnx').options, 'backend onnx')).toEqual({ inputRange: [0, 255] });
  });
});
