// Creates the registered onnx backend in a fresh container, as the CLI would.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOKENS, createMemoryLogger, createUpframeContainer, type BackendOptions, type InferenceBackend } from '@upframe/core';
import { register } from '../register.js';

/** One temporary cache folder per test file, so tests never touch ~/.cache. */
const sharedCacheDir = mkdtempSync(join(tmpdir(), 'upframe-onnx-cache-'));

export function createBackend(options: Partial<BackendOptions> & { model: string }) {
  const logger = createMemoryLogger();
  const container = createUpframeContainer({ logger });
  register(container);
  const backend: InferenceBackend = container
    .resolve(TOKENS.Backends)
    .create(container, 'onnx', { device: 'cpu', cacheDir: sharedCacheDir, ...options });
  return { backend, logger };
}
