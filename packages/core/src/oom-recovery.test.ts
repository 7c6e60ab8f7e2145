import { describe, expect, it } from 'vitest';
import { isUpframeError, OutOfMemoryError, UpframeError } from './errors.js';
import type { Image } from './frame.js';
import { OomRecovery } from './oom-recovery.js';
import { isOutOfMemory, isOutOfMemoryMessage, outOfMemoryError } from './out-of-memory.js';
import { PipelineRunError, runPipeline } from './pipeline.js';
import { FakeBackend, FakeSink, FakeSource, upscaleNearest } from './test-support/fakes.js';

// Messages as ONNX Runtime, CUDA, TensorFlow and V8 print them (from public issue threads).
const ORT_CPU =
  "Non-zero status code returned while running Conv node. Name:'Conv_3' Status Message: /onnxruntime_src/onnxruntime/core/framework/bfc_arena.cc:376 void* onnxruntime::BFCArena::AllocateRawInternal(size_t, bool, onnxruntime::Stream*, bool, onnxruntime::WaitNotificationFn) Failed to allocate memory for requested buffer of size 285081600";
const ORT_CUDA = 'CUDA failure 2: out of memory ; GPU=0 ; hostname=box ; file=/onnxruntime_src/onnxruntime/core/providers/cuda/cuda_allocator.cc ; line=47 ; expr=cudaMalloc((void**)&p, size);';
const TF = 'Resource exhausted: OOM when allocating tensor with shape[1,187,103,4] and type float on /job:localhost/replica:0/task:0/device:GPU:0 by allocator GPU_0_bfc';

/** A backend that runs out of memory above a batch size or an image side, like a GPU would. */
class TightBackend extends FakeBackend {
  override readonly name = 'tight';
  readonly seen: { batch: number; side: number }[] = [];
  constructor(readonly limits: { maxBatch?: number; maxSide?: number; message?: string }) {
    super();
  }
  override async run(images: readonly Image[], signal?: AbortSignal): Promise<Image[]> {
    const side = Math.max(...images.map((im) => Math.max(im.width, im.height)));
    this.seen.push({ batch: images.length, side });
    if (images.length > (this.limits.maxBatch ?? Infinity) || side > (this.limits.maxSide ?? Infinity)) throw new Error(this.limits.message ?? ORT_CPU);
    return super.run(images, signal);
  }
}

const image = (w: number, h: number, seed: number): Image => {
  const data = new Uint8Array(w * h * 3);
  for (let i = 0; i < data.length; i++) data[i] = (i * 7 + seed * 13) % 256;
  return { width: w, height: h, channels: 3, data };
};

describe('out-of-memory classification', () => {
  it('recognises the real allocation failures of ONNX Runtime (CPU, CUDA), TensorFlow and V8', () => {
    for (const m of [ORT_CPU, ORT_CUDA, TF, 'std::bad_alloc', 'RangeError: Array buffer allocation failed', 'CUDA error cudaErrorMemoryAllocation:out of memory']) {
      expect(isOutOfMemoryMessage(m), m).toBe(true);
    }
    for (const m of ['Got invalid dimensions for input: input for the following indices index: 2 Got: 3 Expected: 4', 'model exploded', 'Failed to load model']) {
      expect(isOutOfMemoryMessage(m), m).toBe(false);
    }
  });

  it('recognises a typed OUT_OF_MEMORY error and a runtime error wrapped as a cause', () => {
    expect(isOutOfMemory(outOfMemoryError('esrgan on 4 frames', new Error(ORT_CUDA)))).toBe(true);
    expect(outOfMemoryError('esrgan on 4 frames', new Error(`${ORT_CUDA}\nstack`)).message).toBe(`esrgan on 4 frames: out of memory (${ORT_CUDA})`);
    expect(isOutOfMemory(new UpframeError('INFERENCE_FAILED', 'batch failed', { cause: new Error(TF) }))).toBe(true);
    expect(isOutOfMemory(new UpframeError('INFERENCE_FAILED', 'shape mismatch'))).toBe(false);
  });
});

describe('OomRecovery', () => {
  it('retries the same frames with halved batches and keeps the smaller batch', async () => {
    const backend = new TightBackend({ maxBatch: 1 });
    const messages: string[] = [];
    const recovery = new OomRecovery({ backend, batch: 4, overlap: 8, onRecovered: (m) => messages.push(m) });
    const inputs = [0, 1, 2, 3].map((k) => image(16, 12, k));
    const out = await recovery.run(inputs, [812, 813, 814, 815]);
    expect(out).toEqual(inputs.map((im) => upscaleNearest(im, 2)));
    expect(messages).toEqual(['frame 812: out of memory at batch 4, continued at batch 1']);
    expect(recovery.current).toEqual({ batch: 1, tile: undefined });
    expect(backend.seen.map((s) => s.batch)).toEqual([4, 2, 1, 1, 1, 1]);
    // The next batch starts at the smaller setting: no second failure.
    await recovery.run(inputs.slice(0, 2), [816, 817]);
    expect(backend.seen.slice(6).map((s) => s.batch)).toEqual([1, 1]);
    expect(messages).toHaveLength(1);
  });

  it('goes on to tiles, halving the tile, when one frame does not fit; output equals the untiled result', async () => {
    const backend = new TightBackend({ maxBatch: 2, maxSide: 60 });
    const messages: string[] = [];
    const recovery = new OomRecovery({ backend, batch: 4, overlap: 8, minTile: 16, onRecovered: (m) => messages.push(m) });
    const inputs = [image(160, 90, 1), image(160, 90, 2)];
    const out = await recovery.run(inputs, [40, 41]);
    expect(out.map((im) => [im.width, im.height])).toEqual([[320, 180], [320, 180]]);
    out.forEach((im, k) => expect(Buffer.compare(im.data, upscaleNearest(inputs[k], 2).data)).toBe(0));
    // batch 4 → 2 → 1 (each still a whole 160-wide frame), then tile 80 (window 96) → 40 (window 56 fits).
    expect(messages).toEqual(['frame 40: out of memory at batch 4, continued at batch 1, tile 40']);
    expect(recovery.downgrades).toEqual([{ frame: 40, from: { batch: 4, tile: undefined }, to: { batch: 1, tile: 40 } }]);
    const firstFit = backend.seen.findIndex((s) => s.side <= 60);
    expect(backend.seen.slice(firstFit).every((s) => s.side <= 60 && s.batch === 1)).toBe(true);
  });

  it('stops with a typed error naming the frame and every setting tried when the floor fails too', async () => {
    const backend = new TightBackend({ maxSide: 10, message: ORT_CUDA });
    const recovery = new OomRecovery({ backend, batch: 2, overlap: 8, minTile: 64 });
    const error = await recovery.run([image(300, 200, 0), image(300, 200, 1)], [7, 8]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OutOfMemoryError);
    const oom = error as OutOfMemoryError;
    expect(oom.code).toBe('OUT_OF_MEMORY');
    expect(oom.frameIndex).toBe(7);
    expect(oom.tried).toEqual(['batch 2', 'batch 1', 'batch 1, tile 150', 'batch 1, tile 75']);
    expect(oom.message).toMatch(/^frame 7: out of memory even at batch 1, tile 75 \(tried batch 2; batch 1; batch 1, tile 150; batch 1, tile 75\): CUDA failure 2: out of memory/);
    expect(oom.hint).toMatch(/--device cpu/);
  });

  it('passes any other backend error through untouched, without retrying', async () => {
    const backend = new TightBackend({ maxBatch: 1, message: 'model exploded' });
    const recovery = new OomRecovery({ backend, batch: 4, overlap: 8 });
    await expect(recovery.run([0, 1, 2, 3].map((k) => image(8, 8, k)), [0, 1, 2, 3])).rejects.toThrow('model exploded');
    expect(backend.seen).toHaveLength(1);
  });
});

describe('runPipeline with a backend that runs out of memory', () => {
  it('writes every frame, in order, and reports the downgrade as a warning and in details', async () => {
    const backend = new TightBackend({ maxBatch: 2 });
    const sink = new FakeSink();
    const report = await runPipeline({ source: new FakeSource(40, { width: 8, height: 6, content: (i) => i }), backend, sink, batch: 4, inFlight: 2, memoryBudgetBytes: 1e9 });
    expect(sink.written.map((w) => w.index)).toEqual([...Array(40).keys()]);
    expect(sink.written.map((w) => w.first)).toEqual([...Array(40).keys()]);
    expect(report.frames).toMatchObject({ total: 40, inferred: 40, written: 40 });
    const downgrades = report.warnings.filter((w) => /out of memory at batch 4, continued at batch 2$/.test(w));
    expect(downgrades.length).toBeGreaterThanOrEqual(1);
    expect(report.details?.outOfMemory).toMatchObject({ finalSetting: 'batch 2' });
  });

  it('fails with the typed error, frame and stage when no setting fits, and aborts the sink', async () => {
    const backend = new TightBackend({ maxSide: 2, message: TF });
    const sink = new FakeSink();
    const error = await runPipeline({ source: new FakeSource(10, { width: 8, height: 6 }), backend, sink, batch: 2, inFlight: 1, memoryBudgetBytes: 1e9 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PipelineRunError);
    const run = error as PipelineRunError;
    expect(run).toMatchObject({ stage: 'infer', frameIndex: 0, plugin: 'tight' });
    expect(isUpframeError(run.cause, 'OUT_OF_MEMORY')).toBe(true);
    expect(run.message).toMatch(/frame 0: out of memory even at batch 1 \(tried batch 2; batch 1\): Resource exhausted: OOM when allocating/);
    expect(sink.aborted).toBe(true);
  });
});
