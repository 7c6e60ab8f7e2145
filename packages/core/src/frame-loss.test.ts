import { describe, expect, it } from 'vitest';
import { DamagedInputError, isUpframeError } from './errors.js';
import { createMemoryLogger } from './logger.js';
import { PipelineRunError, runPipeline, type PipelineOptions } from './pipeline.js';
import { FakeBackend, FakeSink, FakeSource } from './test-support/fakes.js';

/** 50 source frames at 25 fps whose decoder loses frames 23–27 (0.92–1.12 s), like a damaged MP4. */
const damagedSource = (lose = [23, 24, 25, 26, 27], delivered = 50 - lose.length) => new FakeSource(delivered, { decoderPts: true, lose, reportCount: 50 });

async function failure(options: PipelineOptions): Promise<PipelineRunError> {
  const error = await runPipeline(options).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(PipelineRunError);
  return error as PipelineRunError;
}

describe('a damaged input (frames lost by the decoder)', () => {
  it('fails by default with INPUT_DAMAGED naming the lost frames by index and time, before inferring past them', async () => {
    const source = damagedSource();
    const sink = new FakeSink();
    const error = await failure({ source, backend: new FakeBackend(), sink, batch: 1, memoryBudgetBytes: 1e9 });
    expect(error.cause).toBeInstanceOf(DamagedInputError);
    expect(isUpframeError(error.cause, 'INPUT_DAMAGED')).toBe(true);
    expect(error.stage).toBe('validate');
    expect(error.frameIndex).toBeUndefined();
    expect(error.message).toMatch(/fake\.mp4: damaged input: frames 23–27 \(0\.92–1\.12 s\) are missing/);
    expect((error.cause as DamagedInputError).ranges).toEqual([{ from: 23, to: 27, fromSeconds: 0.92, toSeconds: 1.12 }]);
    // Decode index 23 is the first frame after the gap: it must never reach the backend or the sink.
    expect(sink.written.every((w) => w.index < 23)).toBe(true);
    expect(sink.aborted).toBe(true);
    expect(source.stoppedEarly).toBe(true);
    expect(error.report.frames).toMatchObject({ written: 0, missing: [23, 24, 25, 26, 27], damaged: [{ from: 23, to: 27 }] });
    expect(error.report.errors[0]).toMatchObject({ stage: 'validate', message: expect.stringMatching(/frames 23–27/) });
  });

  it('with acceptDamaged carries on: each range is a warning and in the report, and the gap stays in the timing', async () => {
    const logger = createMemoryLogger();
    const sink = new FakeSink();
    const report = await runPipeline({ source: damagedSource([3, 23, 24, 25, 26, 27]), backend: new FakeBackend(), sink, logger, acceptDamaged: true, memoryBudgetBytes: 1e9 });
    expect(report.warnings).toHaveLength(2);
    expect(report.warnings[0]).toMatch(/damaged input: frame 3 \(0\.12–0\.16 s\) is missing/);
    expect(report.warnings[1]).toMatch(/damaged input: frames 23–27 \(0\.92–1\.12 s\) are missing/);
    expect(logger.messages.filter((m) => m.level === 'warn')).toHaveLength(2);
    expect(report.frames).toMatchObject({ total: 44, written: 44, missing: [3, 23, 24, 25, 26, 27] });
    expect(report.frames.damaged).toEqual([
      { from: 3, to: 3, fromSeconds: 0.12, toSeconds: 0.16 },
      { from: 23, to: 27, fromSeconds: 0.92, toSeconds: 1.12 },
    ]);
    expect(report.frames.encoded).toBeUndefined();
    expect(report.errors).toEqual([]);
    // Frames keep their own pts, so the output shows the gaps instead of closing them up.
    expect(sink.written.map((w) => w.pts).slice(20, 23)).toEqual([21 * 40, 22 * 40, 28 * 40]);
    expect(sink.written).toHaveLength(44);
  });

  it('names a tail that never came as a separate "ends early" range, after the gaps', async () => {
    const source = new FakeSource(40, { decoderPts: true, lose: [10, 11, 12, 13, 14], reportCount: 50 });
    const report = await runPipeline({ source, backend: new FakeBackend(), sink: new FakeSink(), acceptDamaged: true, memoryBudgetBytes: 1e9 });
    expect(report.frames.damaged).toEqual([
      { from: 10, to: 14, fromSeconds: 0.4, toSeconds: 0.6 },
      { from: 45, to: 49, fromSeconds: 1.8, toSeconds: 2, atEnd: true },
    ]);
    expect(report.warnings[1]).toMatch(/the input ends early: frames 45–49 \(1\.80–2\.00 s\) are missing/);
    expect(report.frames.written).toBe(40);
  });

  it('counts nothing as written when the run fails after every frame was encoded', async () => {
    const sink = new FakeSink();
    const error = await failure({ source: new FakeSource(45, { decoderPts: true, reportCount: 50 }), backend: new FakeBackend(), sink, memoryBudgetBytes: 1e9 });
    expect(error.message).toMatch(/ends early: frames 45–49/);
    expect(sink.written).toHaveLength(45);
    expect(sink.closed).toBe(false);
    expect(error.report.frames).toMatchObject({ written: 0, encoded: 45, missing: [45, 46, 47, 48, 49], damaged: [{ from: 45, to: 49, atEnd: true }] });
  });

  it('counts nothing as written when the sink fails to commit at close', async () => {
    const sink = new (class extends FakeSink {
      override async close(): Promise<never> {
        throw new Error('rename into place failed');
      }
    })();
    const error = await failure({ source: new FakeSource(12, { decoderPts: true }), backend: new FakeBackend(), sink, memoryBudgetBytes: 1e9 });
    expect(error.stage).toBe('encode');
    expect(error.report.frames).toMatchObject({ total: 12, written: 0, encoded: 12 });
  });

  it('leaves an undamaged input alone: no warning, no damaged key, written from the sink', async () => {
    const report = await runPipeline({ source: new FakeSource(30, { decoderPts: true }), backend: new FakeBackend(), sink: new FakeSink(), memoryBudgetBytes: 1e9 });
    expect(report.warnings).toEqual([]);
    expect(report.frames).toEqual({ total: 30, inferred: 30, duplicates: 0, written: 30, missing: [] });
  });
});
