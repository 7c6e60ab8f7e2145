import { afterAll, describe, expect, it, vi } from 'vitest';
import { isOutOfMemory, isUpframeError, silentLogger, type Image } from '@upframe/core';
import { TfjsBackend } from './tfjs-backend.js';
import { buildShuffleModel } from './test-support/synthetic-model.js';

const backends: TfjsBackend[] = [];
afterAll(async () => {
  for (const b of backends) await b.dispose();
});

async function failingWith(message: string): Promise<unknown> {
  const { file } = await buildShuffleModel(2);
  const backend = new TfjsBackend({ model: file, device: 'auto', extra: { inputRange: [0, 1], outputRange: [0, 1] } }, silentLogger);
  backends.push(backend);
  await backend.initialize();
  // The model fails the way TensorFlow does when the allocator is exhausted.
  vi.spyOn(backend.model, 'predict').mockImplementation(() => {
    throw new Error(message);
  });
  const image: Image = { width: 8, height: 6, channels: 3, data: new Uint8Array(8 * 6 * 3).fill(90) };
  return backend.run([image]).then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe('tfjs backend error classification', () => {
  it('turns TensorFlow allocation failures into OUT_OF_MEMORY, keeping the runtime message', async () => {
    const message = 'Resource exhausted: OOM when allocating tensor with shape[1,187,103,4] and type float on /job:localhost/replica:0/task:0/device:GPU:0 by allocator GPU_0_bfc';
    const error = await failingWith(message);
    expect(isUpframeError(error, 'OUT_OF_MEMORY')).toBe(true);
    expect((error as Error).message).toContain(message);
    expect(isOutOfMemory(error)).toBe(true);
  });

  it('keeps any other failure INFERENCE_FAILED', async () => {
    const error = await failingWith('Error when checking input: expected input_1 to have 4 dimension(s)');
    expect(isUpframeError(error, 'INFERENCE_FAILED')).toBe(true);
    expect(isOutOfMemory(error)).toBe(false);
  });
});
