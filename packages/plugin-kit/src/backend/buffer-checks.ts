import type { Image } from '@upframe/core/plugin';
import { copyImage, maxAbsDiff, sameBytes } from '../sample-images.js';
import type { Check } from '../violation.js';
import type { BackendInvariant } from './backend-contract.js';
import { asOutputs } from './output-checks.js';
import { sampleBatch, withBackend, type BackendCheckContext } from './started-backend.js';

type BufferInvariant = 'concurrent-runs' | 'input-not-retained' | 'input-not-mutated' | 'output-not-reused' | 'deterministic';

const snapshot = (images: readonly Image[]) => images.map((image) => Uint8Array.from(image.data));

/** Outputs, or throws: these checks only make sense once `run()` returns a list (output-count covers the rest). */
async function run(ctx: { backend: { run(images: readonly Image[]): Promise<Image[]> } }, images: readonly Image[]): Promise<Image[]> {
  const outputs = asOutputs(await ctx.backend.run(images));
  if (typeof outputs === 'string') throw new Error(outputs);
  return outputs;
}

/** Which outputs of `after` differ from `before` by more than `tolerance`, as "batch b output i". */
function differences(before: readonly Uint8Array[][], after: readonly Image[][], tolerance: number): string[] {
  return before.flatMap((outputs, b) =>
    outputs.flatMap((data, i) => {
      const other = after[b]?.[i]?.data;
      const diff = other ? maxAbsDiff(data, other) : Infinity;
      return diff > tolerance ? [`batch ${b} output ${i} (differs by up to ${diff})`] : [];
    }),
  );
}

export const bufferChecks: Record<BufferInvariant, Check<BackendCheckContext>> = {
  // Several batches are in flight in a real run; shared scratch buffers or session state show up here.
  'concurrent-runs': (ctx) =>
    withBackend(ctx, async (started) => {
      const batches = [0, 1, 2].map((k) => sampleBatch(Math.min(2, started.batch), started.sizes[0]!, 10 + k));
      const sequential: Uint8Array[][] = [];
      for (const images of batches) sequential.push(snapshot(await run(started, images.map(copyImage))));
      const concurrent = await Promise.all(batches.map((images) => run(started, images.map(copyImage))));
      const wrong = differences(sequential, concurrent, ctx.options.tolerance ?? 0);
      return wrong.length ? [`three run() calls in flight together gave other results than the same calls one after another: ${wrong.join(', ')}`] : [];
    }),

  // The pipeline reuses input buffers (pooled) as soon as run() resolves.
  'input-not-retained': (ctx) =>
    withBackend(ctx, async (started) => {
      const inputs = sampleBatch(Math.min(2, started.batch), started.sizes[0]!);
      const outputs = await run(started, inputs);
      const before = snapshot(outputs);
      for (const image of inputs) image.data.forEach((v, i) => (image.data[i] = 255 - v));
      await new Promise((resolve) => setTimeout(resolve, 20));
      const changed = outputs.flatMap((out, i) => (sameBytes(out.data, before[i]!) ? [] : [i]));
      return changed.length ? [`output(s) ${changed.join(', ')} changed when the input buffers were overwritten after run() resolved; do not keep or view the inputs`] : [];
    }),

  // The same frame may be handed to the backend and reused for a duplicate or an alpha merge.
  'input-not-mutated': (ctx) =>
    withBackend(ctx, async (started) => {
      const inputs = sampleBatch(Math.min(2, started.batch), started.sizes[0]!);
      const before = snapshot(inputs);
      await run(started, inputs);
      const changed = inputs.flatMap((image, i) => (sameBytes(image.data, before[i]!) ? [] : [i]));
      return changed.length ? [`run() modified input image(s) ${changed.join(', ')}; work on a copy`] : [];
    }),

  // The pipeline keeps the reference frame's output to fill later duplicates.
  'output-not-reused': (ctx) =>
    withBackend(ctx, async (started) => {
      const first = await run(started, sampleBatch(Math.min(2, started.batch), started.sizes[0]!, 1));
      const before = snapshot(first);
      await run(started, sampleBatch(Math.min(2, started.batch), started.sizes[0]!, 2));
      const changed = first.flatMap((out, i) => (sameBytes(out.data, before[i]!) ? [] : [i]));
      return changed.length ? [`output(s) ${changed.join(', ')} of one run() changed during the next call; each call must return buffers the caller owns`] : [];
    }),

  deterministic: (ctx) =>
    withBackend(ctx, async (started) => {
      const inputs = sampleBatch(Math.min(2, started.batch), started.sizes[0]!);
      const first = snapshot(await run(started, inputs.map(copyImage)));
      const second = await run(started, inputs.map(copyImage));
      const wrong = differences([first], [second], 0);
      return wrong.length ? [`the same input gave different output on a second run: ${wrong.join(', ')}; declare deterministic: false if that is expected`] : [];
    }),
} satisfies Partial<Record<BackendInvariant, Check<BackendCheckContext>>>;
