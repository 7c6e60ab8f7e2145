import { describe, expect, it } from 'vitest';
import { AutoBackend, createBackend } from './auto-backend.js';
import { createUpframeContainer } from './container.js';
import { UpframeError } from './errors.js';
import { createMemoryLogger } from './logger.js';
import { PipelineRunError, runPipeline } from './pipeline.js';
import { TOKENS } from './tokens.js';
import { FakeBackend, FakeSink, FakeSource } from './test-support/fakes.js';

class FailingBackend extends FakeBackend {
  override readonly name = 'gpu-plugin';
  override async initialize(): Promise<void> {
    throw new UpframeError('BACKEND_INIT_FAILED', 'the GPU runtime is not installed');
  }
}

function setup() {
  const logger = createMemoryLogger();
  const container = createUpframeContainer({ logger });
  const registry = container.resolve(TOKENS.Backends);
  const made: FakeBackend[] = [];
  const track = <B extends FakeBackend>(b: B) => (made.push(b), b);
  registry.add({ name: 'fake-backend', description: 'works', priority: 5, create: () => track(new FakeBackend()) });
  registry.add({ name: 'gpu-plugin', description: 'fails', priority: 50, create: () => track(new FailingBackend()) });
  return { logger, container, registry, made };
}

describe('createBackend', () => {
  it('builds a named backend exactly as the registry does, and `auto` as a selection', () => {
    const { container } = setup();
    expect(createBackend(container, 'fake-backend', { model: 'm', device: 'cpu' })).toBeInstanceOf(FakeBackend);
    const auto = createBackend(container, 'auto', { model: 'm', device: 'auto' });
    expect(auto).toBeInstanceOf(AutoBackend);
    expect(auto.name).toBe('auto');
    expect(() => auto.info()).toThrow(/before initialize/);
  });

  it('lets a plugin that registers `auto` replace the selection', () => {
    const { container, registry } = setup();
    const mine = new FakeBackend();
    registry.add({ name: 'auto', description: 'my own choice', create: () => mine });
    expect(createBackend(container, 'auto', { model: 'm', device: 'auto' })).toBe(mine);
  });
});

describe('AutoBackend in a run', () => {
  it('runs on the chosen backend, says so once, and puts the choice and the attempts in the report', async () => {
    const { logger, container, made } = setup();
    const report = await runPipeline({
      source: new FakeSource(6),
      backend: createBackend(container, 'auto', { model: 'm', device: 'auto' }),
      sink: new FakeSink(),
      memoryBudgetBytes: 1e9,
    });
    expect(report.frames.written).toBe(6);
    expect(report.backend).toEqual({ name: 'fake-backend', device: 'cpu', provider: 'fake' });
    expect(report.details?.backendSelection).toEqual({
      chosen: { backend: 'fake-backend', device: 'auto' },
      attempts: [
        { backend: 'gpu-plugin', device: 'auto', priority: 50, status: 'failed', reason: 'the GPU runtime is not installed', code: 'BACKEND_INIT_FAILED' },
        { backend: 'fake-backend', device: 'auto', priority: 5, status: 'ok', ranOn: 'cpu', provider: 'fake' },
      ],
    });
    expect(report.details?.plan).toBeDefined();
    const notices = logger.messages.filter((m) => m.message.startsWith('backend auto:'));
    expect(notices).toEqual([{ level: 'info', message: expect.stringMatching(/^backend auto: using fake-backend on cpu \(not usable here: gpu-plugin on auto;/) }]);
    // The failed candidate was disposed at once; the chosen one when the run ended.
    expect(made.map((b) => [b.name, b.disposed])).toEqual([['gpu-plugin', true], ['fake-backend', true]]);
  });

  it('a run where no candidate initialises fails with BACKEND_UNAVAILABLE, and its report keeps every attempt', async () => {
    const { container, registry } = setup();
    registry.add({ name: 'fake-backend', description: 'now fails too', create: () => new FailingBackend() });
    const error = await runPipeline({
      source: new FakeSource(3),
      backend: createBackend(container, 'auto', { model: 'm', device: 'cpu' }),
      sink: new FakeSink(),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PipelineRunError);
    const { report, cause } = error as PipelineRunError;
    expect((cause as UpframeError).code).toBe('BACKEND_UNAVAILABLE');
    expect(report.errors[0]).toMatchObject({ stage: 'infer', plugin: 'auto' });
    expect(report.errors[0].message).toMatch(/gpu-plugin on cpu: the GPU runtime is not installed[\s\S]*fake-backend on cpu: the GPU runtime/);
    expect(report.details?.backendSelection).toMatchObject({ chosen: null, attempts: [{ status: 'failed' }, { status: 'failed' }] });
  });
});
