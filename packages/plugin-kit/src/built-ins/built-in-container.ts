// The built-in plugins as the CLI builds them: registered in a fresh container, created by name.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOKENS, createUpframeContainer, silentLogger, type BackendOptions, type DedupeStrategy, type FormatSelector, type InferenceBackend } from '@upframe/core';
import { register as registerOnnx } from '@upframe/backend-onnx';
import { register as registerTfjs } from '@upframe/backend-tfjs/register';
import { register as registerDedupe } from '@upframe/dedupe';
import { register as registerFormats } from '@upframe/format-auto';

const container = createUpframeContainer({ logger: silentLogger });
registerOnnx(container);
registerTfjs(container);
registerDedupe(container);
registerFormats(container);

/** One temporary model cache per test file, so the suite never touches ~/.cache. */
const cacheDir = mkdtempSync(join(tmpdir(), 'upframe-plugin-kit-cache-'));

export function createBackend(name: 'onnx' | 'tfjs', model: string): InferenceBackend {
  // Two threads: the machine this suite is sized for has two cores, and other test files run beside it.
  const options: BackendOptions = { model, device: 'cpu', threads: 2, cacheDir };
  return container.resolve(TOKENS.Backends).create(container, name, options);
}

export function createDedupe(name: string, options: Record<string, unknown> = {}): DedupeStrategy {
  return container.resolve(TOKENS.Dedupe).create(container, name, options);
}

export function createFormatSelector(name: string, options: Record<string, unknown> = {}): FormatSelector {
  return container.resolve(TOKENS.FormatSelectors).create(container, name, options);
}
