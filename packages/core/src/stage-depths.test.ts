import { describe, expect, it } from 'vitest';
import type { DedupeStrategy } from './contracts/dedupe-strategy.js';
import type { FrameSource, SourceInfo } from './contracts/frame-source.js';
import type { BackendCapabilities, InferenceBackend } from './contracts/inference-backend.js';
import type { Frame, Image, SampleDepth } from './frame.js';
import { createMemoryLogger } from './logger.js';
import { runPipeline } from './pipeline.js';
import { bytesOf16, samples16 } from './sample-depth.js';
import { FakeSink } from './test-support/fakes.js';

/** Frame i is a 16-bit RGBA frame whose samples are all 1000 + i (distinct below 8 bits). */
class Source16 implements FrameSource {
  readonly name = 'source16';
  async open(): Promise<SourceInfo> {
    return { kind: 'video', path: 'deep.mov', width: 2, height: 2, layout: 'rgba64', timeBase: { num: 1, den: 25 }, variableFrameRate: false, frameCount: 3, frameCountExact: true, bitDepth: 10, chroma: '4:2:2' };
  }
  async *frames(): AsyncGenerator<Frame> {
    for (let i = 0; i < 3; i++) {
      const data = bytesOf16(new Uint16Array(2 * 2 * 4).fill(1000 + i));
      yield { index: i, pts: i, timeBase: { num: 1, den: 25 }, width: 2, height: 2, layout: 'rgba64', data };
    }
  }
  async dispose() {}
}

/** Scale 1 backend that records the depth it was given and returns the input unchanged. */
class EchoBackend implements InferenceBackend {
  readonly name = 'echo';
  readonly scale = 1;
  seen: (SampleDepth | undefined)[] = [];
  constructor(readonly depths?: readonly SampleDepth[]) {}
  capabilities(): BackendCapabilities {
    return { devices: ['cpu'], modelFormats: ['x'], maxBatch: 8, ...(this.depths ? { sampleDepths: this.depths } : {}) };
  }
  async initialize() {}
  info() {
    return { device: 'cpu', provider: 'echo', model: { id: 'echo', scale: 1 }, warnings: [] };
  }
  async run(images: readonly Image[]): Promise<Image[]> {
    this.seen.push(...images.map((im) => im.depth));
    return images.map((im) => ({ ...im, data: im.data.slice() }));
  }
  async dispose() {}
}

class Sink16 extends FakeSink {
  readonly sampleDepths = [8, 16] as const;
}

class RecordingDedupe implements DedupeStrategy {
  readonly name = 'recording';
  layouts: string[] = [];
  constructor(readonly sampleDepths?: readonly SampleDepth[]) {}
  decide(frame: Frame) {
    this.layouts.push(frame.layout);
    return {};
  }
  async dispose() {}
}

const run = (backend: EchoBackend, sink: FakeSink, dedupe?: DedupeStrategy) => {
  const logger = createMemoryLogger();
  return runPipeline({ source: new Source16(), backend, sink, dedupe, batch: 2, inFlight: 1, window: 4, tile: 'off', memoryBudgetBytes: 1e9, logger });
};

describe('16-bit frames through the pipeline', () => {
  it('keeps all 16 bits from source to sink when every stage takes them', async () => {
    const backend = new EchoBackend([8, 16]);
    const sink = new Sink16();
    const dedupe = new RecordingDedupe([8, 16]);
    const report = await run(backend, sink, dedupe);
    expect(sink.opened?.layout).toBe('rgba64');
    expect(backend.seen).toEqual([16, 16, 16]);
    expect(dedupe.layouts).toEqual(['rgba64', 'rgba64', 'rgba64']);
    expect(sink.written.map((w) => w.layout)).toEqual(['rgba64', 'rgba64', 'rgba64']);
    expect(sink.written.map((w) => samples16(w.data)[3])).toEqual([1000, 1001, 1002]);
    expect(report.warnings).toEqual([]);
    expect(report.details?.depth).toMatchObject({ input: { bitDepth: 10, chroma: '4:2:2' }, frames: { layout: 'rgba64', bitsPerSample: 16 } });
  });

  it('gives 8-bit copies to stages that do not declare 16 bits, and warns once for each', async () => {
    const backend = new EchoBackend();
    const sink = new Sink16();
    const dedupe = new RecordingDedupe();
    const report = await run(backend, sink, dedupe);
    expect(backend.seen).toEqual([undefined, undefined, undefined]);
    expect(dedupe.layouts).toEqual(['rgba', 'rgba', 'rgba']);
    // Widened back for the 16-bit sink: 1000 / 257 rounds to 4, and 4 × 257 = 1028.
    expect(sink.written.map((w) => w.layout)).toEqual(['rgba64', 'rgba64', 'rgba64']);
    expect(samples16(sink.written[0].data)[0]).toBe(1028);
    expect(report.warnings.join('\n')).toMatch(/backend echo takes 8-bit images only: the 10-bit frames of deep\.mov are rounded/);
    expect(report.warnings.join('\n')).toMatch(/dedupe recording compares 8-bit copies/);
    expect(report.warnings).toHaveLength(2);
  });

  it('opens an 8-bit sink with an 8-bit layout and says the output is reduced', async () => {
    const sink = new FakeSink();
    const report = await run(new EchoBackend([8, 16]), sink);
    expect(sink.opened?.layout).toBe('rgba');
    expect(sink.written.map((w) => w.layout)).toEqual(['rgba', 'rgba', 'rgba']);
    expect(sink.written[2].data[0]).toBe(4);
    expect(report.warnings).toEqual([expect.stringMatching(/sink fake-sink writes 8-bit frames only/)]);
  });
});
