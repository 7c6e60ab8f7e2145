import { PIXEL_LAYOUTS, SOURCE_KINDS, frameBytes, type Frame, type FrameSource, type SourceInfo } from '@upframe/core/plugin';
import { isUint8Array } from '../sample-images.js';
import { attempt, describeError, fileOf, untypedReason, upframeCode } from '../typed-error.js';
import type { Check } from '../violation.js';
import type { SourceCheckContext, SourceInvariant } from './source-contract.js';

type FrameRecord = Pick<Frame, 'index' | 'width' | 'height' | 'layout' | 'pts' | 'timeBase'> & { readonly bytes: number; readonly uint8: boolean };

/** open() and every frame, as the pipeline reads them; frames are recorded, not kept (they may be pooled). */
async function readAll(ctx: SourceCheckContext): Promise<{ info: SourceInfo; frames: FrameRecord[] }> {
  const source = await ctx.factory();
  try {
    await source.initialize?.();
    const info = await source.open();
    const frames: FrameRecord[] = [];
    const limit = ctx.options.frameLimit ?? 1000;
    for await (const f of source.frames()) {
      frames.push({ index: f.index, width: f.width, height: f.height, layout: f.layout, pts: f.pts, timeBase: f.timeBase, bytes: f.data?.length, uint8: isUint8Array(f.data) });
      if (frames.length >= limit) throw new Error(`frames() delivered more than ${limit} frames; raise options.frameLimit if the sample input really is that long`);
    }
    return { info, frames };
  } finally {
    await attempt(() => source.dispose());
  }
}

const positiveInt = (n: unknown) => Number.isInteger(n) && (n as number) > 0;

async function disposeProblem(source: FrameSource, when: string): Promise<string[]> {
  const result = await attempt(() => source.dispose());
  return result.ok ? [] : [`dispose() ${when} threw ${describeError(result.error)}; it must be safe at any point, and more than once`];
}

export const sourceChecks: Record<SourceInvariant, Check<SourceCheckContext>> = {
  'open-info': async (ctx) => {
    const { info } = await readAll(ctx);
    const problems: string[] = [];
    if (!(SOURCE_KINDS as readonly unknown[]).includes(info?.kind)) problems.push(`kind is ${JSON.stringify(info?.kind)}, not one of ${SOURCE_KINDS.join(', ')}`);
    if (!positiveInt(info?.width) || !positiveInt(info?.height)) problems.push(`size is ${info?.width}×${info?.height}; both must be positive integers`);
    if (!(PIXEL_LAYOUTS as readonly unknown[]).includes(info?.layout)) problems.push(`layout is ${JSON.stringify(info?.layout)}, not one of ${PIXEL_LAYOUTS.join(', ')}`);
    if (!positiveInt(info?.timeBase?.num) || !positiveInt(info?.timeBase?.den)) problems.push(`timeBase is ${JSON.stringify(info?.timeBase)}; num and den must be positive integers`);
    if (info?.frameCount !== undefined && !(Number.isInteger(info.frameCount) && info.frameCount >= 0)) problems.push(`frameCount is ${info.frameCount}; a count or undefined`);
    const want = ctx.options.expected;
    if (want && (info?.width !== want.width || info?.height !== want.height || (want.layout && info?.layout !== want.layout))) {
      problems.push(`open() says ${info?.width}×${info?.height} ${info?.layout}, the sample input is ${want.width}×${want.height} ${want.layout ?? ''}`.trim());
    }
    return problems;
  },

  // Decode order, contiguous from 0: the ordered buffer and the final validation depend on it.
  'indices-contiguous': async (ctx) => {
    const { frames } = await readAll(ctx);
    const wrong = frames.findIndex((f, i) => f.index !== i);
    return wrong < 0 ? [] : [`frame ${wrong} in delivery order has index ${frames[wrong]!.index}; indices must run 0, 1, 2, … without gaps or repeats`];
  },

  'frame-shape': async (ctx) => {
    const { info, frames } = await readAll(ctx);
    const problems = frames.flatMap((f, i) => {
      if (f.width !== info.width || f.height !== info.height || f.layout !== info.layout) return [`frame ${i} is ${f.width}×${f.height} ${f.layout}; open() declared ${info.width}×${info.height} ${info.layout}`];
      const bytes = frameBytes(f.width, f.height, f.layout);
      if (!f.uint8 || f.bytes !== bytes) return [`frame ${i}'s data holds ${f.bytes} bytes${f.uint8 ? '' : ' and is not a Uint8Array'}; ${f.width}×${f.height} ${f.layout} needs a Uint8Array of ${bytes}`];
      return Number.isFinite(f.pts) && positiveInt(f.timeBase?.num) && positiveInt(f.timeBase?.den) ? [] : [`frame ${i} has pts ${f.pts} in time base ${JSON.stringify(f.timeBase)}`];
    });
    return problems.slice(0, 3);
  },

  'frame-count': async (ctx) => {
    const { info, frames } = await readAll(ctx);
    const problems: string[] = [];
    if (info.frameCountExact && info.frameCount !== frames.length) problems.push(`open() vouched for ${info.frameCount} frames (frameCountExact) but frames() delivered ${frames.length}`);
    const want = ctx.options.expectedFrames;
    if (want !== undefined && frames.length !== want) problems.push(`frames() delivered ${frames.length} frames; the sample input holds ${want}`);
    return problems;
  },

  // Reading that matches the built-in sources: an aborted signal ends frames() with a CANCELLED error, not quietly.
  'abort-honoured': async (ctx) => {
    const source = await ctx.factory();
    try {
      await source.initialize?.();
      await source.open();
      const controller = new AbortController();
      controller.abort(new Error('aborted by @upframe/plugin-kit'));
      let delivered = 0;
      const result = await attempt(async () => {
        for await (const _ of source.frames(controller.signal)) delivered++;
      });
      if (delivered > 0) return [`frames() delivered ${delivered} frame(s) although its signal was already aborted`];
      if (result.ok) return ['frames() with an aborted signal ended quietly; throw an error whose code is CANCELLED (cancelledError()) so the run is not mistaken for a short input'];
      return upframeCode(result.error) === 'CANCELLED' ? [] : [`frames() with an aborted signal threw ${describeError(result.error)}; its code must be CANCELLED`];
    } finally {
      await attempt(() => source.dispose());
    }
  },

  // A consumer that stops early (the run failed elsewhere) must get control back: no waiting on a child that never exits.
  'break-releases': async (ctx) => {
    const source = await ctx.factory();
    await source.initialize?.();
    await source.open();
    for await (const _ of source.frames()) break;
    return disposeProblem(source, 'after breaking out of frames()');
  },

  'open-error-typed': async (ctx) => {
    const source = await ctx.options.badInput!();
    const result = await attempt(async () => {
      await source.initialize?.();
      return source.open();
    });
    await attempt(() => source.dispose());
    if (result.ok) return ['open() on the bad input resolved; it must throw an error that names the file'];
    const untyped = untypedReason(result.error, 'open() on the bad input');
    if (untyped) return [untyped];
    const path = ctx.options.badInputPath;
    const named = fileOf(result.error) !== undefined || (path !== undefined && String((result.error as Error).message).includes(path));
    return named ? [] : [`open() on the bad input threw ${describeError(result.error)} without naming the file; set \`file\` on the error`];
  },

  'dispose-idempotent': async (ctx) => {
    const problems = await disposeProblem(await ctx.factory(), 'before open()');
    const source = await ctx.factory();
    await source.initialize?.();
    await source.open();
    for await (const _ of source.frames());
    return [...problems, ...(await disposeProblem(source, 'after reading')), ...(await disposeProblem(source, 'a second time'))];
  },
};
