import { RECORDING_REGISTRAR, type KindTemplate } from './kind-template.js';

// The generated code is shown in docs/plugins.md and compiled and kit-tested by
// cli-plugin-init.e2e.test.ts, so what a new author starts from is known to work.

export const backendTemplate: KindTemplate = {
  kind: 'backend',
  summary: 'nearest-neighbour upscaling backend',
  usage: ({ packageName, stageName }) => `npx upframe upscale clip.mp4 -o clip-x3.mp4 --plugin ${packageName} --backend ${stageName} --backend-opt scale=3`,

  index: ({ stageName, apiVersion }) => `import {
  UpframeError,
  cancelledError,
  definePlugin,
  type BackendCapabilities,
  type BackendInitInfo,
  type BackendOptions,
  type Image,
  type InferenceBackend,
} from '@upframe/core/plugin';

/** The name users select with \`--backend ${stageName}\`. */
export const NAME = '${stageName}';
const MAX_SCALE = 8;

/** Pixel repetition: each input pixel becomes a scale × scale block. Stands in for your model. */
export function upscaleNearest(image: Image, scale: number): Image {
  const { width, height, channels } = image;
  const data = new Uint8Array(width * scale * height * scale * channels);
  for (let y = 0; y < height * scale; y++) {
    for (let x = 0; x < width * scale; x++) {
      const from = (Math.floor(y / scale) * width + Math.floor(x / scale)) * channels;
      data.set(image.data.subarray(from, from + channels), (y * width * scale + x) * channels);
    }
  }
  return { width: width * scale, height: height * scale, channels, data };
}

/**
 * \`--backend-opt scale=N\` arrives in \`extra\` already checked against the schema the plugin
 * registers; scripts and tests that build the backend directly get the same rule here.
 */
function scaleOption(value: unknown): number {
  if (value === undefined) return 2;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_SCALE) return value;
  throw new UpframeError('USAGE', \`\${NAME}: scale must be an integer from 1 to \${MAX_SCALE}, got \${JSON.stringify(value)}\`, {
    plugin: NAME,
    hint: \`Pass --backend-opt scale=2 (1 to \${MAX_SCALE}).\`,
  });
}

export class NearestBackend implements InferenceBackend {
  readonly name = NAME;
  readonly scale: number;
  private ready = false;

  constructor(private readonly options: BackendOptions) {
    this.scale = scaleOption(options.extra?.scale);
  }

  capabilities(): BackendCapabilities {
    return { devices: ['cpu'], modelFormats: ['none'], maxBatch: 8 };
  }

  // Load runtimes and model files here, never at import time: every command imports the plugin.
  async initialize(): Promise<void> {
    if (this.options.device !== 'auto' && this.options.device !== 'cpu') {
      throw new UpframeError('DEVICE_UNAVAILABLE', \`\${NAME} runs on the CPU only; asked for \${this.options.device}\`, { plugin: NAME, hint: 'Run it with --device cpu.' });
    }
    this.ready = true;
  }

  info(): BackendInitInfo {
    return { device: 'cpu', provider: 'pure TypeScript', model: { id: \`nearest-x\${this.scale}\`, scale: this.scale }, warnings: [] };
  }

  async run(images: readonly Image[], signal?: AbortSignal): Promise<Image[]> {
    if (signal?.aborted) throw cancelledError(signal.reason);
    if (!this.ready) throw new UpframeError('INTERNAL', \`\${NAME}: run() before initialize()\`, { plugin: NAME });
    // Fresh output buffers, and no reference to the inputs kept: the pipeline reuses both.
    return images.map((image) => upscaleNearest(image, this.scale));
  }

  async dispose(): Promise<void> {
    this.ready = false;
  }
}

export default definePlugin({
  name: NAME,
  // The plugin API this was written for, as a literal: upframe refuses the plugin if it cannot honour it.
  apiVersion: '${apiVersion}',
  register(host) {
    host.backends.add({
      name: NAME,
      description: 'nearest-neighbour upscaling in pure TypeScript',
      // Checked by upframe before create(): unknown keys and bad values are usage errors listing these.
      options: {
        scale: { type: 'integer', min: 1, max: MAX_SCALE, default: 2, description: 'upscale factor' },
      },
      create: (options) => new NearestBackend(options),
    });
  },
});
`,

  test: () => `import { describe, expect, it } from 'vitest';
import { describeBackendContract } from '@upframe/plugin-kit';
import { PLUGIN_API_VERSION, silentLogger, type BackendOptions, type InferenceBackend, type PluginEntry, type PluginRegistrar } from '@upframe/core/plugin';
import plugin, { NAME, NearestBackend } from './index.js';

${RECORDING_REGISTRAR}

describe(\`the \${NAME} plugin\`, () => {
  it('registers its backend with the scale option, and create() honours it', async () => {
    const backends: PluginEntry<InferenceBackend, BackendOptions>[] = [];
    await plugin.register({ apiVersion: PLUGIN_API_VERSION, upframeVersion: 'test', logger: silentLogger, backends: recording(backends), dedupe: recording([]), formats: recording([]) }, {});
    expect(backends.map((entry) => entry.name)).toEqual([NAME]);
    expect(backends[0]!.options).toHaveProperty('scale');
    const backend = backends[0]!.create({ model: '', device: 'cpu', extra: { scale: 3 } }, { logger: silentLogger, plugin: NAME });
    expect(backend.scale).toBe(3);
  });

  it('refuses a scale out of range with a usage error', () => {
    expect(() => new NearestBackend({ model: '', device: 'cpu', extra: { scale: 0 } })).toThrow(/scale must be an integer from 1 to 8/);
  });
});

// One test per promise of the InferenceBackend contract: order, sizes, layout, abort, errors, …
describeBackendContract(() => new NearestBackend({ model: '', device: 'cpu' }), {
  label: \`\${NAME} ×2\`,
  scale: 2,
  maxBatch: 8,
  deterministic: true,
  failingFactory: () => new NearestBackend({ model: '', device: 'cuda' }),
});

describeBackendContract(() => new NearestBackend({ model: '', device: 'cpu', extra: { scale: 3 } }), {
  label: \`\${NAME} with --backend-opt scale=3\`,
  scale: 3,
  maxBatch: 8,
  deterministic: true,
});
`,
};
