import { TENSOR_LAYOUTS, type OptionSchema } from '@upframe/core';
import { WORKER_SETTINGS } from './worker-choice.js';

/** Batches larger than this bring no speed-up on CPU (see README) and only cost memory. */
export const DEFAULT_MAX_BATCH = 8;

/**
 * What the `onnx` backend reads from `BackendOptions.extra` (`--backend-opt key=value`, config
 * `backendOptions`). The model keys describe a user `.onnx` file and override its sidecar
 * `<model>.onnx.json`; catalog models ignore them.
 */
export const ONNX_OPTION_SCHEMA = {
  maxBatch: { type: 'integer', min: 1, max: 64, default: DEFAULT_MAX_BATCH, description: 'largest batch per inference call (a model with a fixed batch keeps its own)' },
  worker: { type: 'enum', values: WORKER_SETTINGS, default: 'off', description: 'run inference in a worker thread (default: UPFRAME_ONNX_WORKER, else off)' },
  pixelsInGraph: { type: 'boolean', default: true, description: 'catalog and ncnn models: convert 8-bit pixels inside the ONNX graph (uint8 in and out, on onnxruntime\'s threads); false converts them in JS' },
  spinning: { type: 'boolean', default: false, description: 'let onnxruntime\'s idle threads spin for work (its own default); off leaves the cores to the decoder and encoder' },
  tensorrt: { type: 'boolean', default: false, description: 'try the TensorRT execution provider before CUDA' },
  ioLayout: { type: 'enum', values: TENSOR_LAYOUTS, default: 'nchw', description: 'tensor layout of catalog models converted to ONNX' },
  layout: { type: 'enum', values: TENSOR_LAYOUTS, description: 'a user .onnx model\'s tensor layout, when its shapes do not say' },
  inputRange: { type: 'range', description: 'a user .onnx model\'s input value range, e.g. 0,1 or 0,255 (default 0,1)' },
  range: { type: 'range', description: 'another name for inputRange' },
  outputRange: { type: 'range', description: 'a user .onnx model\'s output value range (default: its input range)' },
  scale: { type: 'integer', min: 1, description: 'a user .onnx model\'s upscale factor, when probing cannot tell' },
  bytesPerInputPixel: { type: 'number', min: 0, description: 'a user .onnx model\'s activation memory per input pixel, for batch planning' },
  modelProfile: { type: 'string', description: 'the tool profile of an ncnn .param whose file names do not say it, e.g. realcugan-up2x-conservative (see docs/models.md)' },
} as const satisfies OptionSchema;
