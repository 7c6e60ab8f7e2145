import { describe, expect, it } from 'vitest';
import { runPipeline, PipelineRunError } from './pipeline.js';
import { FakeBackend, FakeSink, FakeSource } from './test-support/fakes.js';

/** The sink of one part of a distributed job: the part starts at `first`, as a resume does. */
class PartSink extends FakeSink {
  constructor(readonly first: number) {
    super();
  }
  committedFrames(): number {
    return this.first;
  }
}

describe('runPipeline on a frame range (one part of a distributed job)', () => {
  it('infers and writes only frames [first, end) and stops taking frames at the end', async () => {
    const backend = new FakeBackend();
    const sink = new PartSink(10);
    const report = await runPipeline({ source: new FakeSource(40), backend, sink, batch: 4, memoryBudgetBytes: 1e9, endFrame: 25 });
    expect(sink.written.map((w) => w.index)).toEqual([...Array(15).keys()].map((k) => k + 10));
    expect(backend.batchSizes.reduce((a, b) => a + b, 0)).toBe(15);
    expect(report.frames).toMatchObject({ total: 25, inferred: 15, resumed: 10, computed: 15 });
  });

  it('the last part ends with the input', async () => {
    const sink = new PartSink(30);
    await runPipeline({ source: new FakeSource(40), backend: new FakeBackend(), sink, batch: 4, memoryBudgetBytes: 1e9, endFrame: 40 });
    expect(sink.written.map((w) => w.index)).toEqual([...Array(10).keys()].map((k) => k + 30));
  });

  it('an input that ends before the part does fails the part naming where', async () => {
    const run = runPipeline({ source: new FakeSource(20), backend: new FakeBackend(), sink: new PartSink(10), batch: 4, memoryBudgetBytes: 1e9, endFrame: 25 });
    await expect(run).rejects.toBeInstanceOf(PipelineRunError);
    await expect(run).rejects.toThrow(/ended at frame 20, before frame 24/);
  });
});
