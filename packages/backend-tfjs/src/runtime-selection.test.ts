import { describe, expect, it } from 'vitest';
import { isUpframeError } from '@upframe/core';
import { describeFailure, isMissingPackage, selectRuntime, type LoadedRuntime, type RuntimeCandidate } from './runtime-selection.js';

const notFound = (pkg: string) => Object.assign(new Error(`Cannot find package '${pkg}' imported from /x/runtime-candidates.js`), { code: 'ERR_MODULE_NOT_FOUND' });

interface Fake extends RuntimeCandidate {
  calls: number;
}

function candidate(id: string, priority: number, outcome: 'ok' | 'missing' | 'broken' | 'no-gpu', gpu = false): Fake {
  const packageName = `@fake/${id}`;
  const fake: Fake = {
    id,
    packageName,
    priority,
    gpu,
    install: `npm i ${packageName}`,
    calls: 0,
    async load(): Promise<LoadedRuntime> {
      fake.calls++;
      if (outcome === 'missing') throw notFound(packageName);
      if (outcome === 'broken') throw new Error(`libtensorflow.so.2: cannot open shared object file\nmore detail`);
      const device = gpu && outcome === 'ok' ? 'cuda:0' : 'cpu';
      return { id, tfBackend: id, provider: `${id}-provider`, device, warnings: outcome === 'no-gpu' ? ['no CUDA GPU'] : [] };
    },
  };
  return fake;
}

/** Every ordering of a list, so selection is shown not to depend on the order candidates come in. */
function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

describe('selectRuntime', () => {
  it('picks the highest-priority runtime that loads, whatever order the candidates come in', async () => {
    for (const order of permutations([40, 30, 20, 10])) {
      const outcomes: Record<number, 'ok' | 'missing' | 'broken'> = { 40: 'missing', 30: 'broken', 20: 'ok', 10: 'ok' };
      const list = order.map((p) => candidate(`r${p}`, p, outcomes[p]!, p === 40));
      const { runtime, skipped } = await selectRuntime(list, 'auto');
      expect(runtime.id).toBe('r20');
      expect(skipped).toEqual(['r40: not installed (npm i @fake/r40)', 'r30: failed to load (libtensorflow.so.2: cannot open shared object file)']);
      // Lower-priority runtimes are never imported once one works.
      expect(list.find((c) => c.id === 'r10')!.calls).toBe(0);
    }
  });

  it('takes the GPU runtime first when it works', async () => {
    const { runtime, skipped } = await selectRuntime([candidate('cpu', 10, 'ok'), candidate('gpu', 40, 'ok', true)], 'auto');
    expect(runtime).toMatchObject({ id: 'gpu', device: 'cuda:0' });
    expect(skipped).toEqual([]);
  });

  it('skips GPU runtimes without loading them for device cpu', async () => {
    const gpu = candidate('gpu', 40, 'ok', true);
    const { runtime, skipped } = await selectRuntime([gpu, candidate('node', 30, 'ok')], 'cpu');
    expect(runtime.id).toBe('node');
    expect(gpu.calls).toBe(0);
    expect(skipped).toEqual(['gpu: skipped (--device cpu)']);
  });

  it('insists on a GPU runtime for cuda, naming the package and the install command', async () => {
    const cpuOnly = candidate('node', 30, 'ok');
    const error = await selectRuntime([candidate('gpu', 40, 'missing', true), cpuOnly], 'cuda').catch((e: unknown) => e);
    expect(isUpframeError(error, 'DEVICE_UNAVAILABLE')).toBe(true);
    expect((error as Error).message).toContain('@fake/gpu');
    expect((error as Error).message).toContain('gpu: not installed');
    expect((error as { hint: string }).hint).toContain('npm i @fake/gpu');
    expect(cpuOnly.calls).toBe(0);
  });

  it('refuses cuda:N when the GPU runtime loads but sees no GPU', async () => {
    const error = await selectRuntime([candidate('gpu', 40, 'no-gpu', true)], 'cuda:0').catch((e: unknown) => e);
    expect(isUpframeError(error, 'DEVICE_UNAVAILABLE')).toBe(true);
    expect((error as Error).message).toMatch(/loaded, but TensorFlow sees no CUDA GPU \(no CUDA GPU\)/);
  });

  it('keeps a GPU runtime that fell back to the CPU for auto, with its own warning', async () => {
    const { runtime } = await selectRuntime([candidate('gpu', 40, 'no-gpu', true), candidate('cpu', 10, 'ok')], 'auto');
    expect(runtime).toMatchObject({ id: 'gpu', device: 'cpu', warnings: ['no CUDA GPU'] });
  });

  it('passes over GPU runtimes silently for auto when the machine has no NVIDIA driver', async () => {
    const gpu = candidate('gpu', 40, 'missing', true);
    const { runtime, skipped } = await selectRuntime([gpu, candidate('cpu', 10, 'ok')], 'auto', { gpuPresent: false });
    expect(runtime.id).toBe('cpu');
    expect(skipped).toEqual([]);
    expect(gpu.calls).toBe(0);
  });

  it('still reports a missing GPU runtime for auto when a driver is there', async () => {
    const { skipped } = await selectRuntime([candidate('gpu', 40, 'missing', true), candidate('cpu', 10, 'ok')], 'auto', { gpuPresent: true });
    expect(skipped[0]).toContain('gpu: not installed');
  });

  it('lists every failure when nothing loads', async () => {
    const error = await selectRuntime([candidate('a', 3, 'missing', true), candidate('b', 2, 'broken'), candidate('c', 1, 'missing')], 'auto').catch((e: unknown) => e);
    expect(isUpframeError(error, 'BACKEND_INIT_FAILED')).toBe(true);
    expect((error as Error).message).toBe(
      'no TensorFlow.js runtime works here: a: not installed (npm i @fake/a); b: failed to load (libtensorflow.so.2: cannot open shared object file); c: not installed (npm i @fake/c)',
    );
  });
});

describe('failure descriptions', () => {
  it('calls a package missing only when the package itself is missing', () => {
    expect(isMissingPackage(notFound('@tensorflow/tfjs-node'), '@tensorflow/tfjs-node')).toBe(true);
    // tfjs-node present, but one of its own dependencies gone: that is a broken install.
    expect(isMissingPackage(notFound('@mapbox/node-pre-gyp'), '@tensorflow/tfjs-node')).toBe(false);
    expect(isMissingPackage(new Error("Cannot find package '@tensorflow/tfjs-node'"), '@tensorflow/tfjs-node')).toBe(false);
    expect(describeFailure(candidate('x', 1, 'ok'), 'plain string')).toBe('x: failed to load (plain string)');
  });
});
