import { samples16, type Image } from '@upframe/core/plugin';
import { channelMeans, deepImage, flatImage, isUint8Array, meanAbsDiff, sizeLabel } from '../sample-images.js';
import { attempt, describeError } from '../typed-error.js';
import type { Check } from '../violation.js';
import type { BackendInvariant } from './backend-contract.js';
import { sampleBatch, withBackend, type BackendCheckContext } from './started-backend.js';

type OutputInvariant = 'output-count' | 'output-order' | 'output-size' | 'output-layout' | 'value-range' | 'depth-16' | 'batch-sizes' | 'info-consistent';

/** The outputs as an array, or a sentence saying what `run()` resolved to instead. */
export function asOutputs(value: unknown): Image[] | string {
  return Array.isArray(value) ? (value as Image[]) : `run() resolved to ${value === null ? 'null' : typeof value}, not an array of images`;
}

// Flat colours with three different channel values, so a swapped channel order (BGR) shows.
const FLAT_COLOURS: readonly (readonly [number, number, number])[] = [
  [200, 60, 30],
  [40, 170, 220],
];

export const outputChecks: Record<OutputInvariant, Check<BackendCheckContext>> = {
  'output-count': (ctx) =>
    withBackend(ctx, async ({ backend, batch, sizes }) => {
      const count = Math.min(3, batch);
      const outputs = asOutputs(await backend.run(sampleBatch(count, sizes[0]!)));
      if (typeof outputs === 'string') return [outputs];
      return outputs.length === count ? [] : [`run() got ${count} images and resolved to ${outputs.length}; it must return one output per input`];
    }),

  // Real models do not reproduce their inputs, so each batched output is matched to the single-image
  // run it is closest to: output i must be closest to input i's own.
  'output-order': (ctx) =>
    withBackend(ctx, async ({ backend, batch, sizes }) => {
      const inputs = sampleBatch(Math.min(3, batch), sizes[0]!);
      if (inputs.length < 2) return [];
      const singles: Image[] = [];
      for (const image of inputs) singles.push((await backend.run([image]))[0]!);
      const outputs = asOutputs(await backend.run(inputs));
      if (typeof outputs === 'string' || outputs.length !== inputs.length) return []; // output-count reports it
      const problems: string[] = [];
      outputs.forEach((out, i) => {
        const distances = singles.map((single) => meanAbsDiff(out.data, single.data));
        const nearest = distances.indexOf(Math.min(...distances));
        // A tie (outputs that ignore their input) says nothing about order; value-range reports those.
        if (Number.isFinite(distances[nearest]!) && distances[i]! > distances[nearest]!) problems.push(`output ${i} of a batch of ${inputs.length} is the upscaled input ${nearest}; outputs must keep the input order`);
      });
      return problems;
    }),

  'output-size': (ctx) =>
    withBackend(ctx, async ({ backend, scale, batch, sizes }) => {
      const problems: string[] = [];
      if (ctx.options.scale !== undefined && backend.scale !== ctx.options.scale) problems.push(`scale is ${backend.scale}, expected ${ctx.options.scale}`);
      for (const size of sizes) {
        const outputs = asOutputs(await backend.run(sampleBatch(Math.min(2, batch), size)));
        if (typeof outputs === 'string') return [outputs];
        const want = { width: size.width * scale, height: size.height * scale };
        outputs.forEach((out, i) => {
          if (out?.width !== want.width || out?.height !== want.height) {
            problems.push(`a ${sizeLabel(size)} input became ${out?.width}×${out?.height} (output ${i}); with scale ${scale} it must be ${sizeLabel(want)}`);
          }
        });
      }
      return problems;
    }),

  'output-layout': (ctx) =>
    withBackend(ctx, async ({ backend, batch, sizes }) => {
      const outputs = asOutputs(await backend.run(sampleBatch(Math.min(2, batch), sizes[0]!)));
      if (typeof outputs === 'string') return [outputs];
      return outputs.flatMap((out, i) => {
        if (out?.channels !== 3) return [`output ${i} has channels ${out?.channels}; backends return RGB (channels 3)`];
        if (!isUint8Array(out.data)) return [`output ${i}'s data is ${Object.prototype.toString.call(out.data)}; it must be a Uint8Array of 0..255 values`];
        const bytes = out.width * out.height * 3;
        return out.data.length === bytes ? [] : [`output ${i} (${out.width}×${out.height} RGB) holds ${out.data.length} bytes instead of ${bytes}`];
      });
    }),

  // Values 0..1 stored in bytes, a forgotten de-normalisation or BGR output all move a flat colour far.
  'value-range': (ctx) =>
    withBackend(ctx, async ({ backend, sizes }) => {
      const tolerance = ctx.options.colourTolerance ?? 32;
      const problems: string[] = [];
      for (const rgb of FLAT_COLOURS) {
        const outputs = asOutputs(await backend.run([flatImage(sizes[0]!, rgb)]));
        if (typeof outputs === 'string') return [outputs];
        const out = outputs[0];
        if (!out || out.data.length < out.width * out.height * out.channels) continue; // output-count / output-layout report it
        const means = channelMeans(out);
        if (means.some((m, c) => Math.abs(m - rgb[c]!) > tolerance)) {
          problems.push(`a flat rgb(${rgb.join(', ')}) input came out with channel means rgb(${means.join(', ')}); values must stay on the 0..255 scale in RGB order`);
        }
      }
      return problems;
    }),

  // A backend that lists 16 in `sampleDepths` gets 16-bit images from deep sources and must answer
  // in 16 bits: rounding to 8 (or returning bytes) would undo the whole deep path silently.
  'depth-16': (ctx) =>
    withBackend(ctx, async ({ backend, sizes }) => {
      if (!backend.capabilities().sampleDepths?.includes(16)) return [];
      const input = deepImage(sizes[0]!);
      const outputs = asOutputs(await backend.run([input]));
      if (typeof outputs === 'string') return [outputs];
      const out = outputs[0];
      if (!out) return []; // output-count reports it
      const bytes = out.width * out.height * 3 * 2;
      if (out.depth !== 16) return [`capabilities().sampleDepths lists 16, but a 16-bit input came back with depth ${out.depth ?? 8}; return 16-bit images (depth: 16) for 16-bit inputs`];
      if (out.data.length !== bytes) return [`a 16-bit output (${out.width}×${out.height} RGB) holds ${out.data.length} bytes instead of ${bytes} (two per sample)`];
      const samples = samples16(out.data);
      const between = samples.filter((v) => v % 257 !== 0).length;
      const problems: string[] = [];
      if (between < samples.length / 4) problems.push(`a 16-bit input came back with ${between} of ${samples.length} samples off the 8-bit levels (multiples of 257): the values were rounded to 8 bits`);
      const mean = samples.reduce((s, v) => s + v, 0) / samples.length;
      const want = samples16(input.data).reduce((s, v) => s + v, 0) / (input.data.length / 2);
      if (Math.abs(mean - want) > (ctx.options.colourTolerance ?? 32) * 257) problems.push(`a 16-bit input with mean ${Math.round(want)} came back with mean ${Math.round(mean)}; 16-bit values are on the 0..65535 scale`);
      return problems;
    }),

  'batch-sizes': (ctx) =>
    withBackend(ctx, async ({ backend, declaredMaxBatch, batch, sizes }) => {
      const problems: string[] = [];
      if (!(declaredMaxBatch >= 1)) problems.push(`capabilities().maxBatch is ${declaredMaxBatch}; it must be at least 1 (Infinity for no limit)`);
      if (ctx.options.maxBatch !== undefined && declaredMaxBatch !== ctx.options.maxBatch) problems.push(`capabilities().maxBatch is ${declaredMaxBatch}, expected ${ctx.options.maxBatch}`);
      for (let n = 1; n <= batch; n++) {
        const result = await attempt(() => backend.run(sampleBatch(n, sizes[0]!, n)));
        if (!result.ok) problems.push(`a batch of ${n} (declared maxBatch ${declaredMaxBatch}) failed: ${describeError(result.error)}`);
        else if (!Array.isArray(result.value) || result.value.length !== n) problems.push(`a batch of ${n} resolved to ${Array.isArray(result.value) ? result.value.length : typeof result.value} outputs`);
      }
      return problems;
    }),

  'info-consistent': (ctx) =>
    withBackend(ctx, async ({ backend }) => {
      const info = backend.info();
      const problems: string[] = [];
      if (typeof info?.device !== 'string' || info.device === '') problems.push(`info().device is ${JSON.stringify(info?.device)}; name the device actually used`);
      if (typeof info?.provider !== 'string' || info.provider === '') problems.push(`info().provider is ${JSON.stringify(info?.provider)}; name the runtime in use`);
      if (!Array.isArray(info?.warnings)) problems.push('info().warnings must be an array (empty when there is nothing to say)');
      if (info?.model?.scale !== backend.scale) problems.push(`info().model.scale is ${info?.model?.scale} but scale is ${backend.scale}`);
      return problems;
    }),
} satisfies Partial<Record<BackendInvariant, Check<BackendCheckContext>>>;
