import type { OptionSchema } from '@upframe/core';

// Kept apart from runtime-candidates.ts, which imports TensorFlow.js: register.ts declares this
// schema and must stay light (tfjs-options.test.ts checks the ids against the real candidates).

/** The runtimes `runtime=` can pin, best first. */
export const TFJS_RUNTIME_IDS = ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'] as const;
export type TfjsRuntimeId = (typeof TFJS_RUNTIME_IDS)[number];

/** What the `tfjs` backend reads from `BackendOptions.extra` (`--backend-opt`, config `backendOptions`). */
export const TFJS_OPTION_SCHEMA = {
  runtime: { type: 'enum', values: TFJS_RUNTIME_IDS, description: 'use only this TensorFlow.js runtime (default: the best one that loads)' },
  inputRange: { type: 'range', default: [0, 255], description: 'a model.json path\'s input value range, e.g. 0,1 (catalog models declare their own)' },
  outputRange: { type: 'range', default: [0, 255], description: 'a model.json path\'s output value range' },
} as const satisfies OptionSchema;
