import type { DedupeContext, DedupeStrategy, Frame, PixelLayout } from '@upframe/core/plugin';
import { sameBytes, sampleFrame, sizeLabel, type Size } from '../sample-images.js';
import { attempt, describeError } from '../typed-error.js';
import type { Check } from '../violation.js';
import type { DedupeCheckContext, DedupeInvariant } from './dedupe-contract.js';

// Seeds of the frames in one synthetic clip: equal neighbours are bit-identical frames (held
// drawings), so the clip has runs of repeats, single frames, and a run longer than two.
const CLIP = [1, 1, 1, 2, 3, 3, 4, 4, 4, 4, 5, 6, 6];
const DISTINCT = [11, 12, 13, 14, 15, 16, 17, 18];
const MAX_MESSAGES = 3;

interface Case {
  readonly size: Size;
  readonly layout: PixelLayout;
  readonly label: string;
}

function cases({ options }: DedupeCheckContext): Case[] {
  const sizes = options.sizes?.length ? options.sizes : [{ width: 16, height: 16 }, { width: 24, height: 16 }];
  const layouts = options.layouts?.length ? options.layouts : (['rgb24', 'rgba'] as const);
  return sizes.flatMap((size) => layouts.map((layout) => ({ size, layout, label: `${sizeLabel(size)} ${layout}` })));
}

/** Fresh buffers per frame even when the content repeats: a decoder hands out a new buffer each time. */
const clip = (seeds: readonly number[], c: Case): Frame[] => seeds.map((seed, i) => sampleFrame(i, c.size, c.layout, seed));

function contextFor(frames: readonly Frame[], c: Case): DedupeContext {
  return {
    source: { kind: 'video', path: 'plugin-kit-synthetic.mkv', width: c.size.width, height: c.size.height, layout: c.layout, timeBase: { num: 1, den: 25 }, variableFrameRate: false, frameCount: frames.length, frameCountExact: true },
  };
}

/** A whole run as the pipeline drives it: initialize, begin, decide in index order, end; the raw decisions. */
async function decideAll(strategy: DedupeStrategy, frames: readonly Frame[], c: Case): Promise<unknown[]> {
  await strategy.initialize?.();
  await strategy.begin?.(contextFor(frames, c));
  const decisions: unknown[] = [];
  for (const frame of frames) decisions.push(await strategy.decide(frame));
  await strategy.end?.();
  return decisions;
}

async function withStrategy<T>(ctx: DedupeCheckContext, use: (strategy: DedupeStrategy) => Promise<T>): Promise<T> {
  const strategy = await ctx.factory();
  try {
    return await use(strategy);
  } finally {
    await attempt(() => strategy.dispose());
  }
}

/** Decisions for `seeds` on every case, each on a fresh strategy. */
async function decisionsPerCase(ctx: DedupeCheckContext, seeds: readonly number[]): Promise<{ c: Case; decisions: unknown[]; frames: Frame[] }[]> {
  const out = [];
  for (const c of cases(ctx)) {
    const frames = clip(seeds, c);
    out.push({ c, frames, decisions: await withStrategy(ctx, (s) => decideAll(s, frames, c)) });
  }
  return out;
}

const duplicateOf = (decision: unknown): unknown => (typeof decision === 'object' && decision !== null ? (decision as { duplicateOf?: unknown }).duplicateOf : undefined);

export const dedupeChecks: Record<DedupeInvariant, Check<DedupeCheckContext>> = {
  'decision-per-frame': async (ctx) =>
    (await decisionsPerCase(ctx, CLIP)).flatMap(({ c, decisions }) =>
      decisions
        .flatMap((d, i) => {
          if (typeof d !== 'object' || d === null || Array.isArray(d)) return [`${c.label}: decide() for frame ${i} returned ${JSON.stringify(d)}; return {} to infer or { duplicateOf } to reuse`];
          const ref = duplicateOf(d);
          return ref === undefined || Number.isInteger(ref) ? [] : [`${c.label}: frame ${i} has duplicateOf ${JSON.stringify(ref)}; it must be a frame index or absent`];
        })
        .slice(0, MAX_MESSAGES),
    ),

  // The pipeline keeps only the current reference's output; any other index cannot be filled.
  'reference-is-latest-inferred': async (ctx) =>
    (await decisionsPerCase(ctx, CLIP)).flatMap(({ c, decisions }) => {
      let reference = -1;
      const problems: string[] = [];
      decisions.forEach((d, i) => {
        const ref = duplicateOf(d);
        if (ref === undefined) reference = i;
        else if (ref !== reference) problems.push(`${c.label}: frame ${i} is marked a duplicate of ${ref}, but the current reference (last inferred frame) is ${reference < 0 ? 'none yet' : reference}`);
      });
      return problems.slice(0, MAX_MESSAGES);
    }),

  'identical-detected': async (ctx) =>
    (await decisionsPerCase(ctx, CLIP)).flatMap(({ c, decisions }) => {
      const missed = decisions.flatMap((d, i) => (i > 0 && CLIP[i] === CLIP[i - 1] && duplicateOf(d) === undefined ? [i] : []));
      return missed.length ? [`${c.label}: frames ${missed.join(', ')} are bit-identical to the frame before them but were not marked duplicates`] : [];
    }),

  // Reusing an output for a frame with other content writes a wrong frame into the user's video.
  'distinct-inferred': async (ctx) =>
    (await decisionsPerCase(ctx, DISTINCT)).flatMap(({ c, decisions }) => {
      const wrong = decisions.flatMap((d, i) => (duplicateOf(d) === undefined ? [] : [i]));
      return wrong.length ? [`${c.label}: frames ${wrong.join(', ')} have different content from every other frame but were marked duplicates`] : [];
    }),

  deterministic: async (ctx) => {
    const [first, second] = [await decisionsPerCase(ctx, CLIP), await decisionsPerCase(ctx, CLIP)];
    return first.flatMap(({ c, decisions }, k) => {
      const a = decisions.map(duplicateOf);
      const b = second[k]!.decisions.map(duplicateOf);
      return JSON.stringify(a) === JSON.stringify(b) ? [] : [`${c.label}: two fresh strategies decided the same frames differently (${JSON.stringify(a)} vs ${JSON.stringify(b)})`];
    });
  },

  // The same frame goes on to the backend after dedupe has looked at it.
  'input-not-mutated': async (ctx) => {
    const problems: string[] = [];
    for (const c of cases(ctx)) {
      const frames = clip(CLIP, c);
      const before = frames.map((f) => Uint8Array.from(f.data));
      await withStrategy(ctx, (s) => decideAll(s, frames, c));
      const changed = frames.flatMap((f, i) => (sameBytes(f.data, before[i]!) ? [] : [i]));
      if (changed.length) problems.push(`${c.label}: decide() changed the pixels of frame(s) ${changed.join(', ')}; read them, do not write them`);
    }
    return problems;
  },

  // stats() goes into the JSON run report as `details.dedupe`, whose named fields (DedupeStats)
  // mean the same for every strategy.
  'stats-object': async (ctx) => {
    const c = cases(ctx)[0]!;
    return withStrategy(ctx, async (strategy) => {
      const frames = clip(CLIP, c);
      const decisions = await decideAll(strategy, frames, c);
      if (typeof strategy.stats !== 'function') return [];
      const stats: unknown = strategy.stats();
      if (typeof stats !== 'object' || stats === null || Array.isArray(stats)) return [`stats() returned ${JSON.stringify(stats)}; it must return a plain object of counters`];
      const json = await attempt(() => JSON.stringify(stats));
      if (!json.ok) return [`stats() cannot be written to the JSON report: ${describeError(json.error)}`];
      const { strategy: name, frames: counted, duplicates } = stats as Record<string, unknown>;
      const marked = decisions.filter((d) => duplicateOf(d) !== undefined).length;
      const problems: string[] = [];
      if (typeof name !== 'string' || name === '') problems.push(`stats().strategy is ${JSON.stringify(name)}; it must be the strategy's name`);
      if (counted !== frames.length) problems.push(`stats().frames is ${JSON.stringify(counted)} after decide() was called for ${frames.length} frames`);
      if (duplicates !== marked) problems.push(`stats().duplicates is ${JSON.stringify(duplicates)}, but decide() marked ${marked} frames as duplicates`);
      return problems;
    });
  },

  'dispose-idempotent': async (ctx) => {
    const problems: string[] = [];
    const unused = await attempt(async () => (await ctx.factory()).dispose());
    if (!unused.ok) problems.push(`dispose() before any use threw ${describeError(unused.error)}`);
    const c = cases(ctx)[0]!;
    const strategy = await ctx.factory();
    await decideAll(strategy, clip(CLIP, c), c);
    for (const when of ['after a run', 'a second time']) {
      const result = await attempt(() => strategy.dispose());
      if (!result.ok) problems.push(`dispose() ${when} threw ${describeError(result.error)}; it must be safe more than once`);
    }
    return problems;
  },
};
