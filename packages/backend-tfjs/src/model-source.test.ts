import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isUpframeError } from '@upframe/core';
import { resolveModelSource } from './model-source.js';

function errorOf(fn: () => unknown): { code?: string; message: string; hint?: string } {
  try {
    fn();
  } catch (error) {
    return error as { code?: string; message: string; hint?: string };
  }
  throw new Error('expected an error');
}

describe('resolveModelSource', () => {
  it('takes a catalog model with its declared 0..255 ranges and scale', () => {
    const source = resolveModelSource('esrgan-slim-x3');
    expect(source).toMatchObject({ id: 'esrgan-slim-x3', inputRange: [0, 255], outputRange: [0, 255], scale: 3 });
    expect(source.modelJson).toMatch(/esrgan-slim[\\/]models[\\/]x3[\\/]model\.json$/);
  });

  it('sends ncnn models to the onnx backend', () => {
    const error = errorOf(() => resolveModelSource('models-se/up2x-conservative.param'));
    expect(error.code).toBe('MODEL_INVALID');
    expect(error.message).toMatch(/is an ncnn model; the tfjs backend runs TF\.js layers models/);
    expect(error.hint).toMatch(/--backend onnx/);
  });

  it('sends ONNX files to the onnx backend', () => {
    const error = errorOf(() => resolveModelSource('models/realesrgan-x4.onnx'));
    expect(isUpframeError(error, 'MODEL_INVALID')).toBe(true);
    expect(error.message).toContain('is an ONNX model');
    expect(error.hint).toBe('The onnx backend can run it: --backend onnx.');
  });

  it('says which package a catalog model needs when it is not installed', () => {
    const error = errorOf(() => resolveModelSource('esrgan-thick-x4'));
    expect(isUpframeError(error, 'MODEL_NOT_FOUND')).toBe(true);
    expect(error.hint).toContain('npm install @upscalerjs/esrgan-thick');
  });

  it('lists the catalog for an unknown id and names the file for a missing path', () => {
    expect(errorOf(() => resolveModelSource('esrgan-huge-x2')).message).toContain('esrgan-slim-x2');
    const missing = errorOf(() => resolveModelSource('./nowhere/model.json'));
    expect(isUpframeError(missing, 'MODEL_NOT_FOUND')).toBe(true);
    expect(missing.message).toContain(join('nowhere', 'model.json'));
  });

  it('accepts a folder holding model.json, with ranges from the backend options', () => {
    const dir = mkdtempSync(join(tmpdir(), 'upframe-tfjs-source-'));
    writeFileSync(join(dir, 'model.json'), '{}');
    const source = resolveModelSource(dir, { inputRange: [0, 1], outputRange: [-1, 1] });
    expect(source).toMatchObject({ modelJson: join(dir, 'model.json'), inputRange: [0, 1], outputRange: [-1, 1] });
    expect(source.scale).toBeUndefined();
    expect(resolveModelSource(join(dir, 'model.json')).inputRange).toEqual([0, 255]);
    expect(isUpframeError(errorOf(() => resolveModelSource(dir, { inputRange: [1, 0] })), 'USAGE')).toBe(true);
  });
});
