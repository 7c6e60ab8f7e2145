import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const loaded = () => Object.keys(createRequire(import.meta.url).cache).some((k) => k.includes('onnxruntime-node'));

describe('lazy native loading', () => {
  it('importing the package does not load onnxruntime-node; initialize() does', async () => {
    const { register } = await import('./index.js');
    expect(typeof register).toBe('function');
    expect(loaded()).toBe(false);
    const { createBackend } = await import('./test-support/backend-harness.js');
    const { backend } = createBackend({ model: 'esrgan-slim-x2' });
    expect(loaded()).toBe(false);
    await backend.initialize();
    expect(loaded()).toBe(true);
    await backend.dispose();
  });
});
