import type { BackendCapabilities } from '@upframe/core';

/** Largest batch one predict() takes; bigger ones only raise peak memory on every runtime measured. */
export const MAX_BATCH = 16;

/** What the tfjs backend can do, known without importing TensorFlow.js. */
export const TFJS_CAPABILITIES: BackendCapabilities = {
  devices: ['cpu', 'cuda'],
  modelFormats: ['tfjs-layers'],
  maxBatch: MAX_BATCH,
  // Models run in float: 16-bit samples map onto the model's range and come back 16-bit.
  sampleDepths: [8, 16],
};
