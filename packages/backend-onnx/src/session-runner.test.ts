import { isOutOfMemory, isUpframeError, type Image } from '@upframe/core';
import * as ort from 'onnxruntime-node';
import type { InferenceSession } from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import type { ModelSpec } from './model-spec.js';
import { SessionRunner } from './session-runner.js';

const spec: ModelSpec = {
  id: 'tiny-x2',
  scale: 2,
  inputName: 'input',
  outputName: 'output',
  layout: 'nchw',
  inputDtype: 'float32',
  outputDtype: 'float32',
  inputRange: [0, 1],
  outputRange: [0, 1],
  bytesPerInputPixel: 100,
};

/** A session whose run() fails the way onnxruntime-node does. */
function failingSession(message: string): InferenceSession {
  return { run: async () => Promise.reject(new Error(message)), release: async () => undefined } as unknown as InferenceSession;
}

const images: Image[] = [{ width: 4, height: 4, channels: 3, data: new Uint8Array(48) }];

/** The same failure through the float graph (JS pixel codec) and through the byte graph. */
async function errorOf(message: string, path: 'float' | 'bytes' = 'float'): Promise<unknown> {
  return new SessionRunner(ort, { [path]: failingSession(message) }, spec).run(images, 4, 4).then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe('SessionRunner error classification', () => {
  it('turns ONNX Runtime CPU and CUDA allocation failures into OUT_OF_MEMORY, keeping the runtime message', async () => {
    const cpu =
      "Non-zero status code returned while running Conv node. Name:'Conv_3' Status Message: bfc_arena.cc:376 onnxruntime::BFCArena::AllocateRawInternal Failed to allocate memory for requested buffer of size 643840";
    const cuda = 'CUDA failure 2: out of memory ; GPU=0 ; hostname=box ; file=cuda_allocator.cc ; line=47 ; expr=cudaMalloc((void**)&p, size);';
    for (const [message, path] of [cpu, cuda].flatMap((m) => [[m, 'float'], [m, 'bytes']] as const)) {
      const error = await errorOf(message, path);
      expect(isUpframeError(error, 'OUT_OF_MEMORY'), message).toBe(true);
      expect((error as Error).message).toContain(message.split('\n')[0]);
      expect(isOutOfMemory(error)).toBe(true);
    }
  });

  it('keeps other failures as INFERENCE_FAILED or MODEL_INPUT_MISMATCH', async () => {
    expect(isUpframeError(await errorOf('Got invalid dimensions for input: input'), 'MODEL_INPUT_MISMATCH')).toBe(true);
    expect(isUpframeError(await errorOf('Got invalid dimensions for input: upframe_pixels', 'bytes'), 'MODEL_INPUT_MISMATCH')).toBe(true);
    const other = await errorOf('Non-zero status code returned while running Conv node');
    expect(isUpframeError(other, 'INFERENCE_FAILED')).toBe(true);
    expect(isOutOfMemory(other)).toBe(false);
  });
});
