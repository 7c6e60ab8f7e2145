import type { Image, InferenceBackend } from '@upframe/core/plugin';
import { sampleImage } from '../sample-images.js';
import { attempt, describeError, pluginOf, untypedReason, upframeCode } from '../typed-error.js';
import type { Check } from '../violation.js';
import type { BackendInvariant } from './backend-contract.js';
import { sampleBatch, withBackend, type BackendCheckContext } from './started-backend.js';

type ErrorInvariant = 'abort-honoured' | 'typed-errors' | 'error-plugin-name' | 'dispose-idempotent' | 'dispose-uninitialized';

interface Provoked {
  readonly where: string;
  readonly plugin: string;
  readonly error: unknown;
}

function abortedSignal(): AbortSignal {
  const controller = new AbortController();
  controller.abort(new Error('aborted by @upframe/plugin-kit'));
  return controller.signal;
}

/**
 * Calls that may legitimately fail, and the errors they raised. Batches outside the contract
 * (empty, mixed sizes, over maxBatch) need not fail, but if they do the error must be typed.
 */
async function provokeErrors(ctx: BackendCheckContext, withAbort: boolean): Promise<{ found: Provoked[]; notes: string[] }> {
  const found: Provoked[] = [];
  const notes: string[] = [];
  if (ctx.options.failingFactory) {
    const failing = await ctx.options.failingFactory();
    const init = await attempt(() => failing.initialize());
    if (init.ok) notes.push(`the backend from failingFactory initialized without error; give one whose initialize() fails (e.g. an unknown model)`);
    else found.push({ where: 'initialize() (failingFactory)', plugin: failing.name, error: init.error });
    await attempt(() => failing.dispose());
  }
  await withBackend(ctx, async ({ backend, declaredMaxBatch, sizes }) => {
    const size = sizes[0]!;
    const tries: [string, Image[], AbortSignal?][] = [
      ['run([])', []],
      ['run() on a batch of mixed sizes', [sampleImage(size, 1), sampleImage({ width: size.width + 4, height: size.height }, 2)]],
    ];
    if (Number.isFinite(declaredMaxBatch) && declaredMaxBatch <= 64) tries.push([`run() on maxBatch + 1 (${declaredMaxBatch + 1}) images`, sampleBatch(declaredMaxBatch + 1, size)]);
    if (withAbort) tries.push(['run() with an aborted signal', sampleBatch(1, size), abortedSignal()]);
    for (const [where, images, signal] of tries) {
      const result = await attempt(() => backend.run(images, signal));
      if (!result.ok) found.push({ where, plugin: backend.name, error: result.error });
    }
  });
  return { found, notes };
}

async function disposeProblem(backend: InferenceBackend, when: string): Promise<string | undefined> {
  const result = await attempt(() => backend.dispose());
  return result.ok ? undefined : `dispose() ${when} threw ${describeError(result.error)}; it must be safe to call at any point, and more than once`;
}

export const errorChecks: Record<ErrorInvariant, Check<BackendCheckContext>> = {
  'abort-honoured': (ctx) =>
    withBackend(ctx, async ({ backend, batch, sizes }) => {
      const result = await attempt(() => backend.run(sampleBatch(Math.min(2, batch), sizes[0]!), abortedSignal()));
      if (result.ok) return [`run() resolved although its signal was already aborted; reject with an error whose code is CANCELLED (core's cancelledError())`];
      const code = upframeCode(result.error);
      return code === 'CANCELLED' ? [] : [`run() with an aborted signal threw ${describeError(result.error)}; its code must be CANCELLED`];
    }),

  'typed-errors': async (ctx) => {
    const { found, notes } = await provokeErrors(ctx, false);
    return [...notes, ...found.flatMap(({ where, error }) => untypedReason(error, where) ?? [])];
  },

  // Core tags an untagged error with the plugin's name; a wrong name would send the user to the wrong plugin.
  'error-plugin-name': async (ctx) => {
    const { found } = await provokeErrors(ctx, true);
    return found.flatMap(({ where, plugin, error }) => {
      const named = pluginOf(error);
      return named === undefined || named === plugin ? [] : [`${where} threw an error naming plugin "${named}", but the backend is "${plugin}"; name this plugin or leave \`plugin\` unset`];
    });
  },

  'dispose-idempotent': async (ctx) => {
    const backend = await ctx.factory();
    await backend.initialize();
    await backend.run(sampleBatch(1, ctx.options.sizes?.[0] ?? { width: 8, height: 8 }));
    const first = await disposeProblem(backend, 'after use');
    const second = await disposeProblem(backend, 'called a second time');
    return [first, second].filter((p): p is string => p !== undefined);
  },

  // The pipeline disposes every stage it created, also when a run fails before or during initialize().
  'dispose-uninitialized': async (ctx) => {
    const problems: (string | undefined)[] = [await disposeProblem(await ctx.factory(), 'before initialize()')];
    if (ctx.options.failingFactory) {
      const failing = await ctx.options.failingFactory();
      await attempt(() => failing.initialize());
      problems.push(await disposeProblem(failing, 'after a failed initialize()'));
    }
    return problems.filter((p): p is string => p !== undefined);
  },
} satisfies Partial<Record<BackendInvariant, Check<BackendCheckContext>>>;
