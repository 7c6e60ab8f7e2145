import { describe, expect, it } from 'vitest';
import { isUpframeError, StageError } from './errors.js';
import { PipelineRunError, runPipeline } from './pipeline.js';
import { FakeBackend, FakeSink, FakeSource, ScriptedDedupe, sleep } from './test-support/fakes.js';

const content = (i: number) => i;

async function failure(p: Promise<unknown>): Promise<PipelineRunError> {
  const error = await p.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(PipelineRunError);
  return error as PipelineRunError;
}

describe('runPipeline failures', () => {
  it('a backend that throws on frame k stops the run with a typed error naming stage, frame and plugin', async () => {
    const source = new FakeSource(50, { content });
    const backend = new FakeBackend({ failOnFrameContent: 17, delayMs: () => 1 });
    const sink = new FakeSink();
    const error = await failure(runPipeline({ source, backend, sink, batch: 1, inFlight: 3, memoryBudgetBytes: 1e9 }));
    expect(error.code).toBe('STAGE_FAILED');
    expect(error.stage).toBe('infer');
    expect(error.frameIndex).toBe(17);
    expect(error.plugin).toBe('fake-backend');
    expect(error.message).toMatch(/model exploded/);
    expect(error.report.errors[0]).toMatchObject({ code: 'STAGE_FAILED', stage: 'infer', frame: 17, plugin: 'fake-backend' });
    expect(sink.aborted).toBe(true);
    expect(sink.closed).toBe(false);
    expect(sink.written.every((w, i) => w.index === i)).toBe(true);
    expect(backend.active).toBe(0);
    expect(source.stoppedEarly).toBe(true);
    expect(source.disposed && backend.disposed && sink.disposed).toBe(true);
  });

  it('a sink that throws ends the run with stage encode and no pending work', async () => {
    const backend = new FakeBackend({ delayMs: () => 2 });
    const sink = new FakeSink({ failAt: 9 });
    const error = await failure(runPipeline({ source: new FakeSource(100), backend, sink, batch: 2, inFlight: 2, memoryBudgetBytes: 1e9 }));
    expect(error).toMatchObject({ stage: 'encode', frameIndex: 9, plugin: 'fake-sink' });
    expect(error.message).toMatch(/disk full/);
    expect(backend.active).toBe(0);
    expect(sink.aborted).toBe(true);
  });

  it('a decoder failure names the source and the frame it stopped at', async () => {
    const error = await failure(runPipeline({ source: new FakeSource(20, { failAt: 6 }), backend: new FakeBackend(), sink: new FakeSink(), memoryBudgetBytes: 1e9 }));
    expect(error).toMatchObject({ stage: 'decode', plugin: 'fake-source' });
    expect(error.message).toMatch(/decoder broke at 6/);
  });

  it('cancellation mid-run ends with CANCELLED, aborts the sink and leaves no work running', async () => {
    const controller = new AbortController();
    const backend = new FakeBackend({ delayMs: () => 5 });
    const sink = new FakeSink();
    const run = runPipeline({ source: new FakeSource(1000, { delayMs: () => 1 }), backend, sink, batch: 2, signal: controller.signal, memoryBudgetBytes: 1e9 });
    await sleep(40);
    controller.abort(new Error('user pressed Ctrl-C'));
    const error = await failure(run);
    expect(error.code).toBe('CANCELLED');
    expect(sink.aborted).toBe(true);
    expect(backend.active).toBe(0);
    expect(sink.written.length).toBeLessThan(1000);
  });

  it('a dedupe strategy pointing at an older frame than the reference is a contract error, not silent corruption', async () => {
    const error = await failure(runPipeline({ source: new FakeSource(10), backend: new FakeBackend(), sink: new FakeSink(), dedupe: new ScriptedDedupe((i) => i === 5, true), memoryBudgetBytes: 1e9 }));
    expect(error.stage).toBe('dedupe');
    expect(error.message).toMatch(/current reference/);
  });

  it('an exact frame count that is not met fails loudly and names the missing tail as "ends early"', async () => {
    const sink = new FakeSink();
    const error = await failure(runPipeline({ source: new FakeSource(5, { reportCount: 8, exact: true, decoderPts: true }), backend: new FakeBackend(), sink, memoryBudgetBytes: 1e9 }));
    expect(isUpframeError(error.cause, 'INPUT_DAMAGED')).toBe(true);
    expect(error.report.frames.missing).toEqual([5, 6, 7]);
    expect(error.message).toMatch(/the input ends early: frames 5–7 \(0\.20–0\.32 s\) are missing/);
    expect(sink.aborted).toBe(true);
  });

  it('a shortfall that timestamps cannot place is counted, never given made-up indices', async () => {
    const error = await failure(runPipeline({ source: new FakeSource(5, { reportCount: 8, exact: true }), backend: new FakeBackend(), sink: new FakeSink(), memoryBudgetBytes: 1e9 }));
    expect(isUpframeError(error.cause, 'VALIDATION_FAILED')).toBe(true);
    expect(error.message).toMatch(/decoded 5 of 8 frames; 3 missing that this source's timestamps cannot locate/);
    expect(error.report.frames.missing).toEqual([]);
  });

  it('an estimated frame count that is not met is a warning', async () => {
    const report = await runPipeline({ source: new FakeSource(5, { reportCount: 6, exact: false }), backend: new FakeBackend(), sink: new FakeSink(), memoryBudgetBytes: 1e9 });
    expect(report.warnings.join()).toMatch(/header says 6 frames, decoded 5/);
  });

  it('errors are StageErrors whose cause keeps the plugin name', async () => {
    const error = await failure(runPipeline({ source: new FakeSource(3), backend: new FakeBackend({ failOnFrameContent: 1 }), sink: new FakeSink(), batch: 1, memoryBudgetBytes: 1e9 }));
    expect(error).toBeInstanceOf(StageError);
    expect((error.cause as { plugin?: string }).plugin).toBe('fake-backend');
  });
});

describe('runPipeline warnings', () => {
  it('puts backend warnings in the report and logs each once', async () => {
    const { createMemoryLogger } = await import('./logger.js');
    const logger = createMemoryLogger();
    const backend = new FakeBackend();
    backend.info = () => ({ device: 'cpu', provider: 'fake', model: { id: 'fake-x2', scale: 2 }, warnings: ['CUDA skipped: no driver'] });
    const report = await runPipeline({ source: new FakeSource(2), backend, sink: new FakeSink(), logger, memoryBudgetBytes: 1e9 });
    expect(report.warnings).toEqual(['fake-backend: CUDA skipped: no driver']);
    expect(logger.messages.filter((m) => m.level === 'warn').map((m) => m.message)).toEqual(['fake-backend: CUDA skipped: no driver']);
  });
});
