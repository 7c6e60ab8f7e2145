import { describe, expect, it } from 'vitest';
import type { Frame } from './frame.js';
import { runPipeline } from './pipeline.js';
import { FakeBackend, FakeSink, FakeSource, ScriptedDedupe } from './test-support/fakes.js';

/** A sink holding frames [0, committed) from an interrupted run, as the journaled video sink does. */
class ResumingSink extends FakeSink {
  constructor(readonly committed: number) {
    super();
  }
  committedFrames(): number {
    return this.committed;
  }
}

/** Records every frame it is asked about, so a test can see that skipped frames still reach it. */
class RecordingDedupe extends ScriptedDedupe {
  readonly seen: number[] = [];
  override decide(frame: Frame) {
    this.seen.push(frame.index);
    return super.decide(frame);
  }
}

describe('runPipeline resuming after committed frames', () => {
  it('decodes every frame but infers and writes only those after the committed ones, and reports both counts', async () => {
    const backend = new FakeBackend();
    const sink = new ResumingSink(12);
    const dedupe = new RecordingDedupe(() => false);
    const progress: number[] = [];
    const report = await runPipeline({ source: new FakeSource(30, { content: (i) => i }), backend, sink, dedupe, batch: 4, memoryBudgetBytes: 1e9, onProgress: (p) => progress.push(p.done) });
    expect(sink.written.map((w) => w.index)).toEqual([...Array(18).keys()].map((k) => k + 12));
    expect(sink.written.map((w) => w.first)).toEqual([...Array(18).keys()].map((k) => k + 12));
    expect(backend.batchSizes.reduce((a, b) => a + b, 0)).toBe(18);
    expect(dedupe.seen).toEqual([...Array(30).keys()]);
    expect(report.frames).toMatchObject({ total: 30, inferred: 18, resumed: 12, computed: 18 });
    expect(progress.at(-1)).toBe(30);
  });

  it('a duplicate of a frame before the resume point is inferred (the reference was never computed in this run), later ones reuse it', async () => {
    const backend = new FakeBackend();
    const sink = new ResumingSink(10);
    // Frames 8..14 repeat frame 8's content: 9..14 are duplicates of 8, which lies before the resume point.
    const content = (i: number) => (i >= 8 && i <= 14 ? 8 : i);
    const report = await runPipeline({ source: new FakeSource(20, { content }), backend, sink, dedupe: new ScriptedDedupe((i) => i >= 9 && i <= 14), batch: 2, memoryBudgetBytes: 1e9 });
    expect(sink.written.map((w) => w.index)).toEqual([...Array(10).keys()].map((k) => k + 10));
    expect(sink.written.map((w) => w.first)).toEqual([8, 8, 8, 8, 8, 15, 16, 17, 18, 19]);
    expect(report.frames).toMatchObject({ inferred: 6, duplicates: 4, resumed: 10, computed: 10 });
  });
});
