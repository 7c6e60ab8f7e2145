import { describe, expect, it } from 'vitest';
import { chooseBatchSize, chooseTileSize, CPU_BATCH_CAP, DEFAULT_BATCH_CAP, defaultBytesPerInputPixel } from './batch-sizer.js';
import { detectMemoryBudget, RAM_BUDGET_CAP_BYTES } from './memory-budget.js';
import { planRun } from './pipeline-plan.js';
import { FakeBackend } from './test-support/fakes.js';

const GiB = 1024 ** 3;
const sizes = { '360p': [640, 360], '1080p': [1920, 1080], '4K': [3840, 2160] } as const;

describe('chooseBatchSize', () => {
  it('shrinks the batch as frames grow and the budget shrinks', () => {
    const table: Record<string, number[]> = {};
    for (const [name, [width, height]] of Object.entries(sizes)) {
      table[name] = [1, 4, 16].map((gib) => chooseBatchSize({ width, height, scale: 2, budgetBytes: gib * GiB, maxBatch: 64, cap: 64 }).batch);
    }
    // x2 default estimate is ~572 B/pixel: 360p ≈ 132 MB, 1080p ≈ 1.19 GB, 4K ≈ 4.7 GB per frame.
    expect(table['360p']).toEqual([8, 32, 64]);
    expect(table['1080p']).toEqual([1, 3, 14]);
    expect(table['4K']).toEqual([1, 1, 3]);
  });

  it('asks for tiling when a single frame does not fit', () => {
    const d = chooseBatchSize({ width: 3840, height: 2160, scale: 4, budgetBytes: 1 * GiB, maxBatch: 8 });
    expect(d.needsTiling).toBe(true);
    expect(d.batch).toBe(1);
    expect(d.reason).toMatch(/tiling/);
  });

  it('never exceeds the backend maximum or the cap, never goes below 1', () => {
    expect(chooseBatchSize({ width: 64, height: 64, scale: 2, budgetBytes: 64 * GiB, maxBatch: 3, cap: 64 }).batch).toBe(3);
    expect(chooseBatchSize({ width: 64, height: 64, scale: 2, budgetBytes: 64 * GiB, maxBatch: 100 }).batch).toBe(DEFAULT_BATCH_CAP);
    expect(chooseBatchSize({ width: 64, height: 64, scale: 2, budgetBytes: 1, maxBatch: 100 }).batch).toBe(1);
  });

  it('uses the backend estimate when it gives one', () => {
    const d = chooseBatchSize({ width: 100, height: 100, scale: 2, bytesPerInputPixel: 1000, budgetBytes: 5_000_000, maxBatch: 64, cap: 64 });
    expect(d.perFrameBytes).toBe(10_000_000);
    expect(d.needsTiling).toBe(true);
    expect(defaultBytesPerInputPixel(4)).toBeGreaterThan(defaultBytesPerInputPixel(2));
  });

  it('picks a tile whose window fits the budget', () => {
    const tile = chooseTileSize({ scale: 2, budgetBytes: 256 * 1024 * 1024, overlap: 16 });
    const window = tile + 32;
    expect(window * window * defaultBytesPerInputPixel(2)).toBeLessThanOrEqual(256 * 1024 * 1024);
    expect(tile % 16).toBe(0);
  });
});

describe('detectMemoryBudget', () => {
  const ram = { freeRam: () => 8 * GiB, totalRam: () => 16 * GiB };

  it('takes the budget the backend reports for its device', () => {
    const b = detectMemoryBudget({ memoryBudget: { bytes: 7 * GiB, detail: '10000 MiB free on GPU 1' } }, undefined, ram);
    expect(b).toEqual({ bytes: 7 * GiB, source: 'backend', detail: '10000 MiB free on GPU 1' });
  });

  it('falls back to half the free RAM, at most RAM_BUDGET_CAP_BYTES, without a (usable) report; an override wins over both', () => {
    expect(detectMemoryBudget({}, undefined, { freeRam: () => GiB, totalRam: () => 4 * GiB })).toMatchObject({ source: 'system-ram', bytes: GiB / 2 });
    expect(detectMemoryBudget({}, undefined, ram)).toMatchObject({ source: 'system-ram', bytes: RAM_BUDGET_CAP_BYTES });
    expect(detectMemoryBudget({ memoryBudget: { bytes: 0, detail: 'nothing free?' } }, undefined, ram).source).toBe('system-ram');
    expect(detectMemoryBudget({ memoryBudget: { bytes: 7 * GiB, detail: 'x' } }, 123, ram)).toMatchObject({ source: 'override', bytes: 123 });
  });
});

describe('planRun budget and batch cap', () => {
  const info = { kind: 'video', path: 'x', width: 256, height: 144, layout: 'rgb24', timeBase: { num: 1, den: 1 }, variableFrameRate: false } as const;
  const ram = { freeRam: () => 64 * GiB, totalRam: () => 64 * GiB };

  it('with no report from the backend: the bounded RAM budget and the CPU cap, even on a CUDA device', () => {
    const backend = new FakeBackend();
    backend.info = () => ({ ...new FakeBackend().info(), device: 'cuda:0' });
    const plan = planRun(info, backend, {}, ram);
    expect(plan.budget).toMatchObject({ source: 'system-ram', bytes: RAM_BUDGET_CAP_BYTES });
    expect(plan.batch).toBe(CPU_BATCH_CAP);
  });

  it('honours the budget and cap the backend reports', () => {
    const backend = new FakeBackend();
    backend.info = () => ({ ...new FakeBackend().info(), device: 'cuda:0', batchCap: 8, memoryBudget: { bytes: 64 * GiB, detail: 'lots of VRAM' } });
    const roomy = planRun(info, backend, {}, ram);
    expect(roomy.batch).toBe(8);
    expect(roomy.budget).toEqual({ bytes: 64 * GiB, source: 'backend', detail: 'lots of VRAM' });
    expect(roomy.reasons[0]).toBe('memory budget: lots of VRAM');
    // 256×144 at 100 B/pixel is ~3.7 MB a frame: a 10 MB budget fits 2, whatever the cap.
    backend.info = () => ({ ...new FakeBackend().info(), batchCap: 8, memoryBudget: { bytes: 10_000_000, detail: 'tight' } });
    expect(planRun(info, backend, {}, ram).batch).toBe(2);
  });

  it('ignores a cap that is not a positive integer, and never goes past the backend maximum', () => {
    const backend = new FakeBackend({ maxBatch: 6 });
    backend.info = () => ({ ...new FakeBackend().info(), batchCap: 0 });
    expect(planRun(info, backend, {}, ram).batch).toBe(CPU_BATCH_CAP);
    backend.info = () => ({ ...new FakeBackend().info(), batchCap: 32 });
    expect(planRun(info, backend, {}, ram).batch).toBe(6);
  });
});
