import { describeBackendContract } from '@upframe/plugin-kit';
import { createBackend } from './built-in-container.js';

// Here tfjs runs on single-threaded wasm; 8×8 frames keep all 16 batch sizes quick.
describeBackendContract(() => createBackend('tfjs', 'esrgan-slim-x2'), {
  label: 'tfjs, esrgan-slim-x2 on CPU',
  scale: 2,
  maxBatch: 16,
  batchLimit: 16,
  deterministic: true,
  failingFactory: () => createBackend('tfjs', 'esrgan-huge-x2'),
});
