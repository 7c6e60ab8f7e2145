import fc from 'fast-check';
import { createMemoryLogger } from './logger.js';
import { describe, expect, it } from 'vitest';
import { runPipeline } from './pipeline.js';
import type { DedupeContext } from './contracts/dedupe-strategy.js';
import { FakeBackend, FakeSink, FakeSource, ScriptedDedupe } from './test-support/fakes.js';

const content = (i: number) => (i * 7) % 251;

describe('runPipeline ordering under concurrency', () => {
  it('writes 0..n-1 in order, each once, with duplicates filled from their reference, within the window', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          n: fc.integer({ min: 0, max: 80 }),
          batch: fc.integer({ min: 1, max: 6 }),
          inFlight: fc.integer({ min: 1, max: 4 }),
          window: fc.integer({ min: 1, max: 24 }),
          dupMask: fc.array(fc.boolean(), { minLength: 80, maxLength: 80 }),
          seed: fc.integer(),
        }),
        async ({ n, batch, inFlight, window, dupMask, seed }) => {
          let s = seed;
          const rand = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) % 5);
          const source = new FakeSource(n, { content });
          const backend = new FakeBackend({ delayMs: rand });
          const sink = new FakeSink({ delayMs: () => rand() % 2 });
          const dedupe = new ScriptedDedupe((i) => dupMask[i]);
          let maxOutstanding = 0;
          const report = await runPipeline({
            source, backend, sink, dedupe, batch, inFlight, window, tile: 'off', memoryBudgetBytes: 1e9,
            onProgress: () => (maxOutstanding = Math.max(maxOutstanding, source.produced - sink.written.length)),
          });
          expect(sink.written.map((w) => w.index)).toEqual([...Array(n).keys()]);
          let ref = -1;
          for (const w of sink.written) {
            if (!(w.index > 0 && dupMask[w.index])) ref = w.index;
            expect(w.first).toBe(content(ref));
            expect(w.pts).toBe(w.index * 40);
            expect(w.width).toBe(8);
          }
          const dups = [...Array(n).keys()].filter((i) => i > 0 && dupMask[i]).length;
          expect(report.frames).toEqual({ total: n, inferred: n - dups, duplicates: dups, written: n, missing: [] });
          expect(maxOutstanding).toBeLessThanOrEqual(window + 1);
          expect(backend.maxActive).toBeLessThanOrEqual(inFlight);
          expect(Math.max(0, ...backend.batchSizes)).toBeLessThanOrEqual(batch);
          expect(report.details?.batches).toMatchObject({ calls: backend.batchSizes.length, planned: batch });
          expect(sink.closed && source.disposed && backend.disposed && sink.disposed).toBe(true);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("prints the source's and the sink's warnings once each and lists them in the report", async () => {
    const source = new FakeSource(3);
    const open = source.open.bind(source);
    source.open = async () => ({ ...(await open()), warnings: ['in.mp4: interlaced; deinterlacing'] });
    const sink = new FakeSink();
    const close = sink.close.bind(sink);
    sink.close = async () => ({ ...(await close()), notes: ['alpha kept', 'padded 3x3 to 4x4'], warnings: ['padded 3x3 to 4x4'] });
    const logger = createMemoryLogger();
    const report = await runPipeline({ source, backend: new FakeBackend(), sink, logger, batch: 2, memoryBudgetBytes: 1e9 });
    expect(report.warnings).toEqual(['in.mp4: interlaced; deinterlacing', 'padded 3x3 to 4x4']);
    expect(logger.messages.filter((m) => m.level === 'warn').map((m) => m.message)).toEqual(report.warnings);
    expect(report.details?.sink).toEqual(['alpha kept', 'padded 3x3 to 4x4']);
  });

  it("gives the dedupe strategy the run's model in begin(): infer() upscales through the run's backend, and the model is named", async () => {
    const backend = new FakeBackend();
    let seen: { model?: string; outputs?: number[] } = {};
    const dedupe = Object.assign(new ScriptedDedupe(() => false), {
      begin: async (context: DedupeContext) => {
        const [out] = (await context.infer?.([{ width: 2, height: 1, channels: 3, depth: 8, data: new Uint8Array([9, 9, 9, 7, 7, 7]) }], [0])) ?? [];
        seen = { model: context.model, outputs: out ? [out.width, out.height, ...out.data.subarray(0, 3)] : undefined };
      },
    });
    const report = await runPipeline({ source: new FakeSource(3), backend, dedupe, sink: new FakeSink(), batch: 2, memoryBudgetBytes: 1e9 });
    expect(seen.model).toBe('fake-backend:fake-x2::cpu');
    expect(seen.outputs).toEqual([4, 2, 9, 9, 9]);
    // The strategy's call is the backend's too; every frame is still inferred and written.
    expect(backend.batchSizes[0]).toBe(1);
    expect(report.frames.written).toBe(3);
  });

  it('records the precision the backend reports', async () => {
    const backend = new FakeBackend();
    const info = backend.info.bind(backend);
    backend.info = () => ({ ...info(), precision: 'fp16' });
    const report = await runPipeline({ source: new FakeSource(2), backend, sink: new FakeSink(), batch: 2, memoryBudgetBytes: 1e9 });
    expect(report.backend).toEqual({ name: 'fake-backend', device: 'cpu', provider: 'fake', precision: 'fp16' });
  });

  it('fills the report: backend, model, timings and plan', async () => {
    const report = await runPipeline({ source: new FakeSource(5), backend: new FakeBackend(), sink: new FakeSink(), batch: 2, memoryBudgetBytes: 1e9 });
    expect(report.backend).toEqual({ name: 'fake-backend', device: 'cpu', provider: 'fake' });
    expect(report.model).toEqual({ id: 'fake-x2', scale: 2 });
    expect(report.output).toBe('out.mp4');
    expect(Object.keys(report.timings.stages)).toEqual(['decode', 'dedupe', 'infer', 'encode']);
    expect(report.timings.totalSeconds).toBeGreaterThan(0);
    expect((report.details?.plan as { batch: number }).batch).toBe(2);
    // 5 frames in batches of 2: two full batches and the last frame alone.
    expect(report.details?.batches).toEqual({ calls: 3, planned: 2, meanFrames: 1.67 });
  });

  it('keeps alpha: RGBA frames get their colour upscaled by the model and alpha resampled alongside', async () => {
    const sink = new FakeSink();
    await runPipeline({ source: new FakeSource(2, { layout: 'rgba', content: () => 200 }), backend: new FakeBackend(), sink, memoryBudgetBytes: 1e9 });
    expect(sink.written[0].layout).toBe('rgba');
    expect(sink.written[0].data.length).toBe(8 * 6 * 4);
    expect([...sink.written[0].data.subarray(0, 8)]).toEqual([200, 200, 200, 200, 200, 200, 200, 200]);
  });
});

describe('runPipeline set-up', () => {
  /** Events in the order they happen, from a source and a backend that each take a while to get ready. */
  function slowStages(sourceFails: boolean) {
    const events: string[] = [];
    const source = new (class extends FakeSource {
      override async open() {
        events.push('probe start');
        await new Promise((r) => setTimeout(r, 30));
        events.push('probe end');
        if (sourceFails) throw new Error('not a video');
        return super.open();
      }
    })(3);
    const backend = new (class extends FakeBackend {
      override async initialize() {
        events.push('model start');
        await new Promise((r) => setTimeout(r, 60));
        events.push('model end');
      }
      override async dispose() {
        events.push('dispose');
        await super.dispose();
      }
    })();
    return { events, source, backend };
  }

  it('loads the model while the input is probed, and tells the sink what infers (device, scale)', async () => {
    const { events, source, backend } = slowStages(false);
    const sink = new FakeSink();
    await runPipeline({ source, backend, sink, batch: 2, memoryBudgetBytes: 1e9 });
    expect(events.slice(0, 4)).toEqual(['model start', 'probe start', 'probe end', 'model end']);
    expect(sink.opened?.inference).toEqual({ device: 'cpu', scale: 2 });
  });

  it('reports a failing input, after the model has settled: a backend is never disposed halfway through loading', async () => {
    const { events, source, backend } = slowStages(true);
    await expect(runPipeline({ source, backend, sink: new FakeSink(), batch: 2, memoryBudgetBytes: 1e9 })).rejects.toThrow(/not a video/);
    expect(events).toEqual(['model start', 'probe start', 'probe end', 'model end', 'dispose']);
  });
});
