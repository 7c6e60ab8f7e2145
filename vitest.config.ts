import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/** Workspace packages resolve to their sources in tests, so a test never runs stale `dist/`. */
const alias = {
  '@upframe/core': here('./packages/core/src/index.ts'),
  '@upframe/models': here('./packages/models/src/index.ts'),
  '@upframe/io': here('./packages/io/src/index.ts'),
  '@upframe/dedupe': here('./packages/dedupe/src/index.ts'),
  '@upframe/format-auto': here('./packages/format-auto/src/index.ts'),
  '@upframe/backend-onnx': here('./packages/backend-onnx/src/index.ts'),
  '@upframe/backend-tfjs': here('./packages/backend-tfjs/src/index.ts'),
};

const project = (name: string, dir: string, timeout = 60_000) => ({
  resolve: { alias },
  test: {
    name,
    root: here(dir),
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    setupFiles: [here('./vitest.setup.ts')],
    testTimeout: timeout,
    hookTimeout: timeout,
    pool: 'forks' as const,
  },
});

export default defineConfig({
  test: {
    projects: [
      project('core', './packages/core'),
      project('models', './packages/models'),
      project('io', './packages/io', 120_000),
      project('dedupe', './packages/dedupe', 120_000),
      project('format-auto', './packages/format-auto'),
      project('backend-onnx', './packages/backend-onnx', 180_000),
      project('backend-tfjs', './packages/backend-tfjs', 180_000),
      project('cli', './packages/cli', 300_000),
      project('plugin-lanczos', './examples/plugin-lanczos'),
    ],
  },
});
