import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import type { Frame, FrameSink, SinkOpenInfo, SinkResult } from '@upframe/core/plugin';
import { sampleFrame } from '../sample-images.js';
import { attempt, describeError, untypedReason } from '../typed-error.js';
import type { Check } from '../violation.js';
import type { SinkCheckContext, SinkInvariant } from './sink-contract.js';

interface Workspace {
  readonly dir: string;
  readonly output: string;
  readonly info: SinkOpenInfo;
  readonly frames: Frame[];
}

/** A fresh empty folder per check: whatever is in it afterwards was left by the sink. */
async function withWorkspace<T>(ctx: SinkCheckContext, use: (ws: Workspace) => Promise<T>): Promise<T> {
  const { options } = ctx;
  const dir = await mkdtemp(join(tmpdir(), 'upframe-plugin-kit-sink-'));
  const size = options.size ?? { width: 16, height: 12 };
  const layout = options.layout ?? 'rgb24';
  const scale = options.scale ?? 2;
  const count = options.frames ?? 3;
  const source = {
    kind: 'video' as const, path: join(dir, 'input.mkv'), width: Math.round(size.width / scale), height: Math.round(size.height / scale), layout,
    timeBase: { num: 1, den: 25 }, frameRate: { num: 25, den: 1 }, variableFrameRate: false, frameCount: count, frameCountExact: true, ...options.source,
  };
  const frames = Array.from({ length: count }, (_, i) => sampleFrame(i, size, layout, i + 1));
  try {
    return await use({ dir, output: join(dir, options.outputName ?? 'out'), info: { source, width: size.width, height: size.height, layout }, frames });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function started(ctx: SinkCheckContext, ws: Workspace): Promise<FrameSink> {
  const sink = await ctx.factory(ws.output);
  await sink.initialize?.();
  await sink.open(ws.info);
  return sink;
}

/** A whole successful run: open, every frame in order, close. */
async function writeAll(ctx: SinkCheckContext, ws: Workspace): Promise<{ sink: FrameSink; result: SinkResult }> {
  const sink = await started(ctx, ws);
  for (const frame of ws.frames) await sink.write(frame);
  return { sink, result: await sink.close() };
}

const listing = async (dir: string) => (await readdir(dir)).sort();

async function disposeProblems(sink: FrameSink, ...whens: string[]): Promise<string[]> {
  const problems: string[] = [];
  for (const when of whens) {
    const result = await attempt(() => sink.dispose());
    if (!result.ok) problems.push(`dispose() ${when} threw ${describeError(result.error)}; it must be safe at any point, and more than once`);
  }
  return problems;
}

export const sinkChecks: Record<SinkInvariant, Check<SinkCheckContext>> = {
  'frames-written': (ctx) =>
    withWorkspace(ctx, async (ws) => {
      const { sink, result } = await writeAll(ctx, ws);
      await attempt(() => sink.dispose());
      const problems: string[] = [];
      if (result?.framesWritten !== ws.frames.length) problems.push(`close() reported framesWritten ${result?.framesWritten} after ${ws.frames.length} frames were written`);
      if (typeof result?.output !== 'string' || result.output === '') problems.push(`close() reported output ${JSON.stringify(result?.output)}; it must be the path written`);
      return problems;
    }),

  'output-in-place': (ctx) =>
    withWorkspace(ctx, async (ws) => {
      const { sink, result } = await writeAll(ctx, ws);
      await attempt(() => sink.dispose());
      const output = String(result?.output);
      if (!existsSync(output)) return [`close() reported ${output}, which does not exist; close() must move the result into place`];
      return resolve(dirname(output)) === resolve(ws.dir) ? [] : [`close() wrote ${output}, not beside the requested output ${ws.output}`];
    }),

  // Writes go to a private temporary place; after close() only the result may remain.
  'no-temp-left': (ctx) =>
    withWorkspace(ctx, async (ws) => {
      const { sink, result } = await writeAll(ctx, ws);
      await attempt(() => sink.dispose());
      const extra = (await listing(ws.dir)).filter((name) => name !== basename(String(result?.output)));
      return extra.length ? [`after close() the output folder also holds ${extra.join(', ')}; temporary files must be moved or removed`] : [];
    }),

  'abort-leaves-nothing': (ctx) =>
    withWorkspace(ctx, async (ws) => {
      const sink = await started(ctx, ws);
      for (const frame of ws.frames.slice(0, Math.max(1, ws.frames.length - 1))) await sink.write(frame);
      const aborted = await attempt(() => sink.abort(new Error('aborted by @upframe/plugin-kit')));
      await attempt(() => sink.dispose());
      const left = await listing(ws.dir);
      return [
        ...(aborted.ok ? [] : [`abort() threw ${describeError(aborted.error)}`]),
        ...(left.length ? [`after abort() the output folder still holds ${left.join(', ')}; abort() must remove everything the run wrote`] : []),
      ];
    }),

  'write-before-open': (ctx) =>
    withWorkspace(ctx, async (ws) => {
      const sink = await ctx.factory(ws.output);
      await sink.initialize?.();
      const result = await attempt(() => sink.write(ws.frames[0]!));
      await attempt(() => sink.dispose());
      if (result.ok) return ['write() before open() resolved; the frame went nowhere. Fail with a typed error'];
      return [untypedReason(result.error, 'write() before open()')].filter((p): p is string => p !== undefined);
    }),

  'dispose-idempotent': (ctx) =>
    withWorkspace(ctx, async (ws) => {
      const problems = await disposeProblems(await ctx.factory(ws.output), 'before open()');
      const { sink } = await writeAll(ctx, ws);
      return [...problems, ...(await disposeProblems(sink, 'after close()', 'a second time'))];
    }),
};
