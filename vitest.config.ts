import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/** Workspace packages resolve to their sources in tests, so a test never runs stale `dist/`. */
const alias = [
  ...['core', 'models', 'model-ncnn', 'io', 'dedupe', 'format-auto', 'backend-onnx', 'backend-tfjs', 'plugin-kit', 'cluster'].map((name) => ({
    find: new RegExp(`^@upframe/${name}$`),
    replacement: here(`./packages/${name}/src/index.ts`),
  })),
  { find: /^@upframe\/backend-tfjs\/register$/, replacement: here('./packages/backend-tfjs/src/register.ts') },
  { find: /^@upframe\/core\/plugin$/, replacement: here('./packages/core/src/plugin-api/index.ts') },
  { find: /^@upframe\/core\/internal$/, replacement: here('./packages/core/src/internal.ts') },
  { find: /^upframe-plugin-lanczos$/, replacement: here('./examples/plugin-lanczos/src/index.ts') },
];

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
      project('model-ncnn', './packages/model-ncnn', 300_000),
      project('io', './packages/io', 120_000),
      project('dedupe', './packages/dedupe', 120_000),
      project('format-auto', './packages/format-auto'),
      project('backend-onnx', './packages/backend-onnx', 180_000),
      project('backend-tfjs', './packages/backend-tfjs', 180_000),
      project('cluster', './packages/cluster', 180_000),
      project('cli', './packages/cli', 300_000),
      project('plugin-lanczos', './examples/plugin-lanczos'),
      project('plugin-smallest', './examples/plugin-smallest'),
      project('plugin-kit', './packages/plugin-kit', 120_000),
    ],
  },
});
