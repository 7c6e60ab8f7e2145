import { RECORDING_REGISTRAR, type KindTemplate } from './kind-template.js';

export const dedupeTemplate: KindTemplate = {
  kind: 'dedupe',
  summary: 'byte-exact dedupe strategy',
  usage: ({ packageName, stageName }) => `npx upframe upscale clip.mp4 -o clip-x2.mp4 --plugin ${packageName} --dedupe ${stageName}`,

  index: ({ stageName, apiVersion }) => `import { definePlugin, type DedupeDecision, type DedupeStats, type DedupeStrategy, type Frame } from '@upframe/core/plugin';

/** The name users select with \`--dedupe ${stageName}\`. */
export const NAME = '${stageName}';

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * A frame whose pixels equal the reference's, byte for byte, reuses the reference's upscaled
 * output. The reference is always the last frame that was inferred: the pipeline keeps only
 * that one output, which is what keeps memory flat.
 */
export class ByteExactDedupe implements DedupeStrategy {
  readonly name = NAME;
  private reference: Frame | undefined;
  private counts = { frames: 0, duplicates: 0 };

  async begin(): Promise<void> {
    this.reference = undefined;
    this.counts = { frames: 0, duplicates: 0 };
  }

  decide(frame: Frame): DedupeDecision {
    this.counts.frames++;
    const ref = this.reference;
    if (ref && ref.width === frame.width && ref.height === frame.height && ref.layout === frame.layout && sameBytes(ref.data, frame.data)) {
      this.counts.duplicates++;
      return { duplicateOf: ref.index };
    }
    // A copy: the source may reuse the frame's buffer for the next frame.
    this.reference = { ...frame, data: Uint8Array.from(frame.data) };
    return {};
  }

  /** Goes into the run report as \`details.dedupe\`. */
  stats(): DedupeStats {
    return { strategy: NAME, ...this.counts };
  }

  async dispose(): Promise<void> {
    this.reference = undefined;
  }
}

export default definePlugin({
  name: NAME,
  // The plugin API this was written for, as a literal: upframe refuses the plugin if it cannot honour it.
  apiVersion: '${apiVersion}',
  register(host) {
    host.dedupe.add({
      name: NAME,
      description: 'reuse the output of frames that are byte-for-byte repeats',
      create: () => new ByteExactDedupe(),
    });
  },
});
`,

  test: () => `import { describe, expect, it } from 'vitest';
import { describeDedupeContract } from '@upframe/plugin-kit';
import { PLUGIN_API_VERSION, silentLogger, type DedupeStrategy, type PluginEntry, type PluginOptions, type PluginRegistrar } from '@upframe/core/plugin';
import plugin, { ByteExactDedupe, NAME } from './index.js';

${RECORDING_REGISTRAR}

describe(\`the \${NAME} plugin\`, () => {
  it('registers its dedupe strategy', async () => {
    const strategies: PluginEntry<DedupeStrategy, PluginOptions>[] = [];
    await plugin.register({ apiVersion: PLUGIN_API_VERSION, upframeVersion: 'test', logger: silentLogger, backends: recording([]), dedupe: recording(strategies), formats: recording([]) }, {});
    expect(strategies.map((entry) => entry.name)).toEqual([NAME]);
    expect(strategies[0]!.create({}, { logger: silentLogger, plugin: NAME })).toBeInstanceOf(ByteExactDedupe);
  });
});

// One test per promise of the DedupeStrategy contract: references, repeats found, distinct frames kept, …
describeDedupeContract(() => new ByteExactDedupe(), { label: NAME, detectsIdentical: true });
`,
};
