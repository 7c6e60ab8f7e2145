import { describe, expect, it } from 'vitest';
import { autoCandidates, modelFormatOf } from './auto-candidates.js';
import { probeCandidates, selectBackend } from './backend-selection.js';
import { createUpframeContainer } from './container.js';
import type { BackendOptions, DeviceRequest } from './contracts/inference-backend.js';
import { UpframeError, isUpframeError } from './errors.js';
import { silentLogger } from './logger.js';
import type { AutoCandidateSpec } from './registry.js';
import { TOKENS } from './tokens.js';
import { FakeBackend } from './test-support/fakes.js';

/** A backend whose initialize() fails, lands on a device, or waits, as a test scripts it. */
class ScriptedBackend extends FakeBackend {
  initialized = false;
  constructor(
    override readonly name: string,
    readonly options: BackendOptions,
    readonly script: { fail?: (device: DeviceRequest) => string | undefined; ranOn?: string; formats?: string[]; initMs?: number },
  ) {
    super();
  }
  override capabilities() {
    return { devices: ['cpu', 'cuda'], modelFormats: this.script.formats ?? ['fake'], maxBatch: 8 };
  }
  override async initialize(signal?: AbortSignal) {
    if (this.script.initMs) {
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(resolve, this.script.initMs);
        signal?.addEventListener('abort', () => (clearTimeout(t), reject(new UpframeError('CANCELLED', 'aborted'))));
      });
    }
    const why = this.script.fail?.(this.options.device);
    if (why) throw new UpframeError('DEVICE_UNAVAILABLE', why, { hint: `fix ${this.name}` });
    this.initialized = true;
  }
  override info() {
    return { ...super.info(), device: this.script.ranOn ?? (this.options.device === 'auto' ? 'cpu' : this.options.device), provider: `${this.name}-rt` };
  }
}

type Spec = { priority?: number; autoCandidates?: AutoCandidateSpec[]; script?: ScriptedBackend['script'] };

function setup(specs: Record<string, Spec>) {
  const container = createUpframeContainer({ logger: silentLogger });
  const registry = container.resolve(TOKENS.Backends);
  const made: ScriptedBackend[] = [];
  for (const [name, spec] of Object.entries(specs)) {
    registry.add({
      name,
      description: name,
      priority: spec.priority,
      autoCandidates: spec.autoCandidates,
      create: (_c, options) => {
        const b = new ScriptedBackend(name, options, spec.script ?? {});
        made.push(b);
        return b;
      },
    });
  }
  return { container, registry, made };
}

const noCuda = (device: DeviceRequest) => (device.startsWith('cuda') ? 'no CUDA here' : undefined);
const BUILT_INS: Record<string, Spec> = {
  onnx: { priority: 20, autoCandidates: [{ device: 'cuda', priority: 40 }, { device: 'cpu', priority: 20 }], script: { fail: noCuda, formats: ['onnx', 'tfjs-layers'] } },
  tfjs: { priority: 10, autoCandidates: [{ device: 'cuda', priority: 30 }, { device: 'cpu', priority: 10 }], script: { fail: noCuda, formats: ['tfjs-layers'] } },
};
const order = (list: { backend: string; device: string }[]) => list.map((c) => `${c.backend}/${c.device}`);

describe('autoCandidates', () => {
  it('interleaves every backend\'s per-device candidates by priority; a plain entry is tried once on the requested device', () => {
    const { registry } = setup({ ...BUILT_INS, plugin: { priority: 50 }, last: {} });
    expect(order(autoCandidates(registry, 'auto'))).toEqual(['plugin/auto', 'onnx/cuda', 'tfjs/cuda', 'onnx/cpu', 'tfjs/cpu', 'last/auto']);
    expect(order(autoCandidates(registry, 'cpu'))).toEqual(['plugin/cpu', 'onnx/cpu', 'tfjs/cpu', 'last/cpu']);
    expect(order(autoCandidates(registry, 'cuda:1'))).toEqual(['plugin/cuda:1', 'onnx/cuda:1', 'tfjs/cuda:1', 'last/cuda:1']);
  });

  it('knows a model file\'s format by its name, not a catalog id\'s', () => {
    expect(modelFormatOf('/m/x.ONNX')).toBe('onnx');
    expect(modelFormatOf('m/model.json')).toBe('tfjs-layers');
    expect(modelFormatOf('models-se/up2x-conservative.param')).toBe('ncnn');
    expect(modelFormatOf('esrgan-slim-x2')).toBeUndefined();
  });
});

describe('selectBackend', () => {
  it('falls back down the priority order, collecting each failure\'s reason, and disposes the failed ones', async () => {
    const { container, registry, made } = setup(BUILT_INS);
    const seen: string[] = [];
    const s = await selectBackend(registry, container, { model: 'm', device: 'auto' }, { onAttempt: (a) => seen.push(`${a.backend}/${a.device}:${a.status}`) });
    expect(s.backend.name).toBe('onnx');
    expect(s.candidate).toMatchObject({ backend: 'onnx', device: 'cpu' });
    expect(s.attempts).toEqual([
      { backend: 'onnx', device: 'cuda', priority: 40, status: 'failed', reason: 'no CUDA here', code: 'DEVICE_UNAVAILABLE', hint: 'fix onnx' },
      { backend: 'tfjs', device: 'cuda', priority: 30, status: 'failed', reason: 'no CUDA here', code: 'DEVICE_UNAVAILABLE', hint: 'fix tfjs' },
      { backend: 'onnx', device: 'cpu', priority: 20, status: 'ok', ranOn: 'cpu', provider: 'onnx-rt' },
    ]);
    expect(seen).toEqual(['onnx/cuda:failed', 'tfjs/cuda:failed', 'onnx/cpu:ok']);
    // Failed ones are disposed, the chosen one is not, and nothing after it was even created.
    expect(made.map((b) => [b.name, b.options.device, b.disposed])).toEqual([['onnx', 'cuda', true], ['tfjs', 'cuda', true], ['onnx', 'cpu', false]]);
  });

  it('takes the first candidate when it works, passing the request through with the candidate\'s device', async () => {
    const { container, registry, made } = setup({ ...BUILT_INS, onnx: { ...BUILT_INS.onnx, script: {} } });
    const s = await selectBackend(registry, container, { model: 'm', device: 'auto', threads: 3, extra: { k: 1 } });
    expect(s.attempts).toHaveLength(1);
    expect(made[0].options).toEqual({ model: 'm', device: 'cuda', threads: 3, extra: { k: 1 } });
  });

  it('throws one BACKEND_UNAVAILABLE listing every candidate\'s failure when none initialises', async () => {
    const { container, registry, made } = setup({ ...BUILT_INS, plugin: { priority: 1, script: { fail: () => 'plugin broke' } } });
    const error = await selectBackend(registry, container, { model: 'm', device: 'cuda' }).catch((e: unknown) => e);
    expect(isUpframeError(error, 'BACKEND_UNAVAILABLE')).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain('no backend could run m on device cuda');
    for (const line of ['onnx on cuda: no CUDA here [DEVICE_UNAVAILABLE]', 'tfjs on cuda: no CUDA here', 'plugin on cuda: plugin broke']) expect(message).toContain(line);
    expect((error as UpframeError).hint).toMatch(/upframe backends/);
    expect(made.every((b) => b.disposed)).toBe(true);
  });

  it('skips a backend that does not run the model\'s format, with that reason', async () => {
    const { container, registry, made } = setup(BUILT_INS);
    const request = { model: 'user.onnx', device: 'cpu' as const };
    const s = await selectBackend(registry, container, request);
    expect(s.candidate.backend).toBe('onnx');
    const { registry: r2, container: c2 } = setup({ tfjs: BUILT_INS.tfjs, onnx: { ...BUILT_INS.onnx, script: { fail: () => 'broken' } } });
    const error = (await selectBackend(r2, c2, request).catch((e: unknown) => e)) as Error;
    expect(error.message).toContain('tfjs on cpu: skipped, runs tfjs-layers models; user.onnx is onnx');
    // The caller's format wins over the file name (a catalog id has none).
    const catalog = await selectBackend(registry, container, { model: 'esrgan', device: 'cpu', modelFormat: 'tfjs-layers' });
    expect(catalog.candidate.backend).toBe('onnx');
    expect(made.filter((b) => b.disposed).length).toBe(0);
  });

  it('rejects and disposes a backend that initialised on another kind of device than its candidate', async () => {
    const { container, registry, made } = setup({ gpuish: { autoCandidates: [{ device: 'cuda', priority: 9 }, { device: 'cpu', priority: 1 }], script: { ranOn: 'cpu' } } });
    const s = await selectBackend(registry, container, { model: 'm', device: 'auto' });
    expect(s.attempts[0]).toMatchObject({ status: 'failed', reason: 'initialised on cpu, not on cuda' });
    expect(s.candidate.device).toBe('cpu');
    expect(made[0].disposed).toBe(true);
  });

  it('honours abort: before any candidate, and during one\'s initialize (which is disposed, the rest untried)', async () => {
    const { container, registry, made } = setup({ slow: { priority: 2, script: { initMs: 5000 } }, next: { priority: 1 } });
    const aborted = AbortSignal.abort(new Error('user stop'));
    await expect(selectBackend(registry, container, { model: 'm', device: 'auto' }, { signal: aborted })).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(made).toHaveLength(0);
    const controller = new AbortController();
    const run = selectBackend(registry, container, { model: 'm', device: 'auto' }, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('Ctrl-C')), 20);
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(made.map((b) => [b.name, b.disposed])).toEqual([['slow', true]]);
  });
});

describe('probeCandidates', () => {
  it('tries every candidate, usable or not, and disposes all of them', async () => {
    const { container, registry, made } = setup(BUILT_INS);
    const attempts = await probeCandidates(registry, container, { model: 'm', device: 'auto' });
    expect(attempts.map((a) => `${a.backend}/${a.device}:${a.status}`)).toEqual(['onnx/cuda:failed', 'tfjs/cuda:failed', 'onnx/cpu:ok', 'tfjs/cpu:ok']);
    expect(made.every((b) => b.disposed)).toBe(true);
  });
});
