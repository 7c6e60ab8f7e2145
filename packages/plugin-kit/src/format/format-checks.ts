import { IMAGE_FORMATS, type FormatChoice, type FormatContext, type FormatSelector, type Image, type ImageFormat } from '@upframe/core/plugin';
import { flatImage, sampleImage, sizeLabel } from '../sample-images.js';
import { attempt, describeError, untypedReason } from '../typed-error.js';
import type { Check } from '../violation.js';
import type { FormatCheckContext, FormatSelectorInvariant } from './format-contract.js';

/** A short sequence per size: textured frames with a flat one in the middle (content changes mid-sequence). */
function sequences({ options }: FormatCheckContext): { label: string; frames: Image[] }[] {
  const sizes = options.sizes?.length ? options.sizes : [{ width: 16, height: 16 }, { width: 24, height: 16 }];
  const channels = options.channels ?? 3;
  return sizes.map((size) => {
    const flat = flatImage(size, [90, 140, 200]);
    const middle = channels === 4 ? withOpaqueAlpha(flat) : flat;
    return { label: sizeLabel(size), frames: [sampleImage(size, 1, channels), sampleImage(size, 2, channels), middle, sampleImage(size, 3, channels)] };
  });
}

function withOpaqueAlpha(image: Image): Image {
  const data = new Uint8Array(image.width * image.height * 4).fill(255);
  for (let p = 0; p < image.width * image.height; p++) data.set(image.data.subarray(p * 3, p * 3 + 3), p * 4);
  return { ...image, channels: 4, data };
}

const ALL: FormatContext = { supported: IMAGE_FORMATS, frameCount: 4, sourceBitDepth: 8 };
const OUTPUTS: readonly (readonly ImageFormat[])[] = [...IMAGE_FORMATS.map((f) => [f]), ['png', 'jpeg'], ['tiff', 'webp']];
const RESTRICTED: readonly FormatContext[] = OUTPUTS.map((supported) => ({ supported, frameCount: 4, sourceBitDepth: 8 }));

/** One sequence as the sink that owns a selector drives it: initialize, select in index order. */
async function selectSequence(selector: FormatSelector, frames: readonly Image[], context: FormatContext): Promise<FormatChoice[]> {
  await selector.initialize?.();
  const choices: FormatChoice[] = [];
  for (const [index, image] of frames.entries()) choices.push(await selector.select(image, index, context));
  return choices;
}

/**
 * Every frame of every sequence through one fresh selector per sequence, disposed afterwards as
 * its sink would; the choices, and the selectors for summary() (the report reads it after the run).
 */
async function selectAll(ctx: FormatCheckContext, context: FormatContext = ALL) {
  const runs = [];
  for (const { label, frames } of sequences(ctx)) {
    const selector = await ctx.factory();
    try {
      runs.push({ label, selector, choices: await selectSequence(selector, frames, context) });
    } finally {
      // dispose() failures are dispose-idempotent's to report.
      await attempt(() => selector.dispose());
    }
  }
  return runs;
}

/** Whether the encoder settings are lossless, read as sharp reads them. */
function settingsLossless(choice: FormatChoice): boolean {
  const o = choice.options ?? {};
  switch (choice.format) {
    case 'jpeg':
      return false;
    case 'webp':
    case 'avif':
      return o.lossless === true;
    case 'png':
      return o.palette !== true && o.quality === undefined && o.colours === undefined && o.colors === undefined;
    case 'tiff':
      return o.compression !== 'jpeg' && o.compression !== 'webp';
  }
}

const show = (choice: FormatChoice) => `${choice?.format} (lossless ${choice?.lossless})`;

export const formatChecks: Record<FormatSelectorInvariant, Check<FormatCheckContext>> = {
  'choice-shape': async (ctx) =>
    (await selectAll(ctx)).flatMap(({ label, choices }) =>
      choices.flatMap((c, i) => {
        const where = `${label} frame ${i}`;
        if (!(IMAGE_FORMATS as readonly unknown[]).includes(c?.format)) return [`${where}: format ${JSON.stringify(c?.format)} is not one of ${IMAGE_FORMATS.join(', ')}`];
        if (typeof c.lossless !== 'boolean') return [`${where}: lossless must be a boolean`];
        if (typeof c.options !== 'object' || c.options === null) return [`${where}: options must be an object of encoder settings`];
        return typeof c.reason === 'string' && c.reason.trim() !== '' ? [] : [`${where}: reason must say, in a sentence, why this format`];
      }),
    ),

  // Reading that matches the built-ins: a selector may refuse an output it cannot serve (the fixed
  // `jpeg` selector on a PNG-only output), but only with a typed error, never with an unwritable format.
  'supported-format': async (ctx) => {
    const problems: string[] = [];
    const all = await attempt(() => selectAll(ctx));
    if (!all.ok) problems.push(`with every format supported, select() threw ${describeError(all.error)}`);
    for (const context of RESTRICTED) {
      const result = await attempt(() => selectAll(ctx, context));
      const offered = context.supported.join(', ');
      if (!result.ok) {
        const untyped = untypedReason(result.error, `select() on an output that writes only ${offered}`);
        if (untyped) problems.push(untyped);
        continue;
      }
      const wrong = result.value.flatMap(({ choices }) => choices).find((c) => !context.supported.includes(c.format));
      if (wrong) problems.push(`chose ${wrong.format} for an output that writes only ${offered}; pick from context.supported or throw a typed error`);
    }
    return problems;
  },

  'lossless-when-required': async (ctx) =>
    (await selectAll(ctx)).flatMap(({ label, choices }) => {
      const lossy = choices.flatMap((c, i) => (c.lossless ? [] : [`frame ${i}: ${show(c)}`]));
      return lossy.length ? [`${label}: lossless output was required, got ${lossy.join(', ')}`] : [];
    }),

  // The report and the user trust the flag; it must agree with what the encoder will do.
  'lossless-honest': async (ctx) =>
    (await selectAll(ctx)).flatMap(({ label, choices }) =>
      choices.flatMap((c, i) => (c.lossless === settingsLossless(c) ? [] : [`${label} frame ${i}: ${show(c)} with options ${JSON.stringify(c.options)}, which encode ${settingsLossless(c) ? 'losslessly' : 'lossily'}`])),
    ),

  // A folder of mixed formats is what the contract's "same choice for every frame once decided" prevents.
  'sequence-stable': async (ctx) =>
    (await selectAll(ctx)).flatMap(({ label, choices }) => {
      const changed = choices.findIndex((c) => JSON.stringify(c) !== JSON.stringify(choices[0]));
      return changed < 0 ? [] : [`${label}: frame 0 got ${show(choices[0]!)} but frame ${changed} got ${show(choices[changed]!)}; a sequence-level selector keeps its first decision`];
    }),

  deterministic: async (ctx) => {
    const [a, b] = [await selectAll(ctx), await selectAll(ctx)];
    return a.flatMap(({ label, choices }, k) => (JSON.stringify(choices) === JSON.stringify(b[k]!.choices) ? [] : [`${label}: two fresh selectors chose differently for the same frames`]));
  },

  'dispose-idempotent': async (ctx) => {
    const problems: string[] = [];
    const unused = await attempt(async () => (await ctx.factory()).dispose());
    if (!unused.ok) problems.push(`dispose() before any use threw ${describeError(unused.error)}`);
    const selector = await ctx.factory();
    await selectSequence(selector, sequences(ctx)[0]!.frames, ALL);
    for (const when of ['after a sequence', 'a second time']) {
      const result = await attempt(() => selector.dispose());
      if (!result.ok) problems.push(`dispose() ${when} threw ${describeError(result.error)}; it must be safe more than once`);
    }
    return problems;
  },

  'summary-string': async (ctx) =>
    (await selectAll(ctx)).flatMap(({ label, selector }) => {
      if (typeof selector.summary !== 'function') return [];
      const summary: unknown = selector.summary();
      return typeof summary === 'string' && summary.trim() !== '' ? [] : [`${label}: after selecting, summary() returned ${JSON.stringify(summary)}; the report needs a sentence`];
    }),
};
