import { isUpframeError } from '@upframe/core';
import { describe, expect, it } from 'vitest';
import type { ExecutionPlan } from './execution-providers.js';
import { LOAD_HINTS, createSession } from './session-factory.js';

type Ort = typeof import('onnxruntime-node');

/** An onnxruntime whose every session fails with `message`, as it does for a corrupt or unsupported model. */
const failingOrt = (message: string) => ({ InferenceSession: { create: () => Promise.reject(new Error(message)) } }) as unknown as Ort;
const cpu: ExecutionPlan = { providers: ['cpu'], device: 'cpu', warnings: [] };
const cuda: ExecutionPlan = { providers: [{ name: 'cuda', deviceId: 0 }], device: 'cuda:0', warnings: [] };
const PARSE_FAILURE = 'Load model from /c/m.onnx failed:Protobuf parsing failed.';

describe('createSession failures', () => {
  it('gives the "check your file" hint for a user model only', async () => {
    const user = await createSession(failingOrt(PARSE_FAILURE), '/c/m.onnx', cpu, 1, '/c/m.onnx', 'user').catch((e: unknown) => e);
    const catalog = await createSession(failingOrt(PARSE_FAILURE), '/c/m.onnx', cpu, 1, 'esrgan-slim-x2', 'catalog').catch((e: unknown) => e);
    expect(isUpframeError(user, 'MODEL_INVALID') && isUpframeError(catalog, 'MODEL_INVALID')).toBe(true);
    expect((user as { hint?: string }).hint).toBe(LOAD_HINTS.user);
    expect((catalog as { hint?: string }).hint).toBe(LOAD_HINTS.catalog);
    expect((catalog as { hint?: string }).hint).not.toMatch(/check that the file/i);
  });

  it('reports a model no provider can parse as MODEL_INVALID even on cuda, and a cuda failure as DEVICE_UNAVAILABLE', async () => {
    const corrupt = await createSession(failingOrt(PARSE_FAILURE), '/c/m.onnx', cuda, 1, 'esrgan-slim-x2', 'catalog').catch((e: unknown) => e);
    expect(isUpframeError(corrupt, 'MODEL_INVALID')).toBe(true);
    const noGpu = await createSession(failingOrt('CUDA failure 100: no CUDA-capable device is detected'), '/c/m.onnx', cuda, 1, 'esrgan-slim-x2', 'catalog').catch((e: unknown) => e);
    expect(isUpframeError(noGpu, 'DEVICE_UNAVAILABLE')).toBe(true);
  });
});

describe('createSession tuning', () => {
  it("turns onnxruntime's thread spinning off unless asked for, on the session and on a CUDA fallback", async () => {
    const seen: unknown[] = [];
    const recording = { InferenceSession: { create: (_: unknown, options: unknown) => (seen.push(options), seen.length === 1 ? Promise.reject(new Error('CUDA failure 100')) : Promise.resolve({})) } } as unknown as Ort;
    await createSession(recording, '/c/m.onnx', { ...cuda, fallback: cpu }, 2, 'esrgan-slim-x2', 'catalog');
    await createSession(recording, '/c/m.onnx', cpu, 2, 'esrgan-slim-x2', 'catalog', { spinning: true });
    const spins = seen.map((o) => (o as { extra: { session: { intra_op: { allow_spinning: string } } } }).extra.session.intra_op.allow_spinning);
    expect(spins).toEqual(['0', '0', '1']);
  });
});
