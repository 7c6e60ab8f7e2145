import { describe, expect, it } from 'vitest';
import { CPU_BATCH_CAP } from './batch-sizer.js';
import { RAM_BUDGET_CAP_BYTES } from './memory-budget.js';
import { planRun } from './pipeline-plan.js';
import { FakeBackend } from './test-support/fakes.js';
import { planTiles } from './tiling.js';

const GiB = 1024 ** 3;
/** What onnx reports for esrgan-slim-x2 on CPU (peak activations × arena overhead + I/O). */
const SLIM_X2_BYTES_PER_PIXEL = 1992;

function slimBackend(): FakeBackend {
  const backend = new FakeBackend({ maxBatch: 8 });
  backend.info = () => ({ ...new FakeBackend().info(), bytesPerInputPixel: SLIM_X2_BYTES_PER_PIXEL });
  return backend;
}

const image = (width: number, height: number) => ({ kind: 'image', path: 'big.png', width, height, layout: 'rgb24', timeBase: { num: 1, den: 1 }, variableFrameRate: false }) as const;

describe('planRun on a big image, CPU defaults', () => {
  // Plenty of free RAM: half of it alone would have let the whole 2000×1500 frame (~6 GB) run.
  const roomy = { freeRam: () => 20 * GiB, totalRam: () => 24 * GiB };

  it('bounds the budget, tiles a 2000×1500 frame and says why', () => {
    const plan = planRun(image(2000, 1500), slimBackend(), {}, roomy);
    expect(plan.budget).toMatchObject({ source: 'system-ram', bytes: RAM_BUDGET_CAP_BYTES });
    expect(plan.budget.bytes).toBeLessThan(10 * GiB);
    expect(plan.reasons[0]).toMatch(/capped/);

    expect(plan.tile).toBeDefined();
    const tile = plan.tile!;
    expect(plan.reasons.join('\n')).toMatch(/tile \d+px \(auto: one 2000x1500 frame needs ~\d+ MB, over the \d+ MB budget/);
    // A full batch of windows fits the budget, so tiles are batched like frames.
    expect(plan.batch).toBe(CPU_BATCH_CAP);
    const window = tile + 2 * plan.overlap;
    expect(plan.batch * window * window * SLIM_X2_BYTES_PER_PIXEL).toBeLessThanOrEqual(plan.budget.bytes);
    // The overlap is paid for, but not wildly: windows cover the frame less than twice over.
    const tiles = planTiles(2000, 1500, tile, plan.overlap);
    expect(tiles.length * window * window).toBeLessThan(2 * 2000 * 1500);
  });

  it("a backend's cap of 1 (onnx on CPU) keeps whole frames single, and still batches tile windows", () => {
    const capped = slimBackend();
    capped.info = () => ({ ...slimBackend().info(), batchCap: 1 });
    expect(planRun(image(256, 144), capped, {}, roomy)).toMatchObject({ batch: 1, tile: undefined, window: 8 });
    const big = planRun(image(2000, 1500), capped, {}, roomy);
    expect(big.tile).toBeDefined();
    expect(big.batch).toBe(CPU_BATCH_CAP);
  });

  it('keeps small frames whole, and obeys --tile off and a requested batch', () => {
    const small = planRun(image(320, 240), slimBackend(), {}, roomy);
    expect(small.tile).toBeUndefined();
    const off = planRun(image(2000, 1500), slimBackend(), { tile: 'off' }, roomy);
    expect(off.tile).toBeUndefined();
    expect(off.reasons).toContain('tiling off');
    const one = planRun(image(2000, 1500), slimBackend(), { batch: 1 }, roomy);
    expect(one.batch).toBe(1);
    // Room for one window per call: a bigger tile than with four.
    expect(one.tile!).toBeGreaterThan(planRun(image(2000, 1500), slimBackend(), {}, roomy).tile!);
  });

  it('never tiles a model that is not tile-safe, and refuses --tile for it', () => {
    const backend = slimBackend();
    backend.info = () => ({ ...new FakeBackend().info(), bytesPerInputPixel: SLIM_X2_BYTES_PER_PIXEL, tileSafe: false });
    const plan = planRun(image(2000, 1500), backend, {}, roomy);
    expect(plan.tile).toBeUndefined();
    expect(plan.batch).toBe(1);
    expect(plan.reasons.join('\n')).toMatch(/no tiling: model fake-x2 is not tile-safe/);
    expect(() => planRun(image(2000, 1500), backend, { tile: 256 }, roomy)).toThrow(/not tile-safe .* --tile 256 would change its output/);
  });

  it('uses less than the cap when RAM is short', () => {
    const tight = planRun(image(2000, 1500), slimBackend(), {}, { freeRam: () => 1 * GiB, totalRam: () => 4 * GiB });
    expect(tight.budget.bytes).toBe(GiB / 2);
    expect(tight.reasons[0]).not.toMatch(/capped/);
    expect(tight.tile).toBeDefined();
  });
});
