import { describeBackendContract } from '@upframe/plugin-kit';
import { createBackend } from './built-in-container.js';

// Tiny frames keep the real model cheap: every invariant of the contract in about a second.
describeBackendContract(() => createBackend('onnx', 'esrgan-slim-x2'), {
  label: 'onnx, esrgan-slim-x2 on CPU',
  scale: 2,
  maxBatch: 8,
  deterministic: true,
  failingFactory: () => createBackend('onnx', 'esrgan-huge-x2'),
});
