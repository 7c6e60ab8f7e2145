import { RECORDING_REGISTRAR, type KindTemplate } from './kind-template.js';

export const formatTemplate: KindTemplate = {
  kind: 'format',
  summary: 'lossless PNG format selector',
  usage: ({ packageName, stageName }) => `npx upframe upscale frames/ -o frames-x2/ --plugin ${packageName} --format ${stageName}`,

  index: ({ stageName, apiVersion }) => `import { UpframeError, definePlugin, type FormatChoice, type FormatContext, type FormatSelector, type Image } from '@upframe/core/plugin';

/** The name users select with \`--format ${stageName}\`. */
export const NAME = '${stageName}';

/**
 * Every frame as lossless PNG. A selector sees each frame in order and may look at its pixels
 * (\`image\`); whatever it decides for the first frame it keeps for the whole sequence, so a
 * folder never mixes formats.
 */
export class PngSelector implements FormatSelector {
  readonly name = NAME;
  private frames = 0;

  select(_image: Image, _index: number, context: FormatContext): FormatChoice {
    if (!context.supported.includes('png')) {
      throw new UpframeError('USAGE', \`\${NAME} writes PNG, but this output takes \${context.supported.join(', ')}\`, {
        plugin: NAME,
        hint: 'Write to a folder or a .png file, or choose another --format.',
      });
    }
    this.frames++;
    // \`options\` go to sharp's png() as they are; the kit checks they agree with \`lossless\`.
    return { format: 'png', lossless: true, options: { compressionLevel: 9 }, reason: 'PNG is lossless and opens everywhere' };
  }

  /** One sentence for the run report. */
  summary(): string | undefined {
    return this.frames ? \`png for \${this.frames} frame(s)\` : undefined;
  }

  // Nothing to release; a selector that loads an encoder in initialize() frees it here.
  async dispose(): Promise<void> {}
}

export default definePlugin({
  name: NAME,
  // The plugin API this was written for, as a literal: upframe refuses the plugin if it cannot honour it.
  apiVersion: '${apiVersion}',
  register(host) {
    host.formats.add({
      name: NAME,
      description: 'every frame as lossless PNG',
      create: () => new PngSelector(),
    });
  },
});
`,

  test: () => `import { describe, expect, it } from 'vitest';
import { describeFormatSelectorContract } from '@upframe/plugin-kit';
import { PLUGIN_API_VERSION, silentLogger, type FormatSelector, type PluginEntry, type PluginOptions, type PluginRegistrar } from '@upframe/core/plugin';
import plugin, { NAME, PngSelector } from './index.js';

${RECORDING_REGISTRAR}

describe(\`the \${NAME} plugin\`, () => {
  it('registers its format selector', async () => {
    const selectors: PluginEntry<FormatSelector, PluginOptions>[] = [];
    await plugin.register({ apiVersion: PLUGIN_API_VERSION, upframeVersion: 'test', logger: silentLogger, backends: recording([]), dedupe: recording([]), formats: recording(selectors) }, {});
    expect(selectors.map((entry) => entry.name)).toEqual([NAME]);
    expect(selectors[0]!.create({}, { logger: silentLogger, plugin: NAME })).toBeInstanceOf(PngSelector);
  });
});

// One test per promise of the FormatSelector contract: supported formats, honest lossless flag, stable sequences, …
describeFormatSelectorContract(() => new PngSelector(), { label: NAME, requiresLossless: true });
`,
};
