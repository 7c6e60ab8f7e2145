import { describe, expect, it } from 'vitest';
import { chooseBatchSize, chooseTileSize, DEFAULT_BATCH_CAP, defaultBytesPerInputPixel } from './batch-sizer.js';
import { detectMemoryBudget } from './memory-budget.js';

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
  it('uses free VRAM from nvidia-smi for CUDA devices', () => {
    const b = detectMemoryBudget('cuda:1', undefined, { nvidiaSmi: (args) => (args.includes('1') ? '10000\n' : 'x') });
    expect(b.source).toBe('nvidia-smi');
    expect(b.bytes).toBe(Math.floor(10000 * 1024 * 1024 * 0.7));
  });

  it('falls back to free RAM when nvidia-smi is missing, and for CPU', () => {
    const probe = { nvidiaSmi: () => { throw new Error('ENOENT'); }, freeRam: () => 8 * GiB, totalRam: () => 16 * GiB };
    expect(detectMemoryBudget('cuda', undefined, probe)).toMatchObject({ source: 'system-ram', bytes: 4 * GiB });
    expect(detectMemoryBudget('cpu', undefined, probe).source).toBe('system-ram');
    expect(detectMemoryBudget('cpu', 123, probe)).toMatchObject({ source: 'override', bytes: 123 });
  });
});

describe('planRun batch caps', () => {
  it('caps CPU batches lower than CUDA ones when memory allows more', async () => {
    const { planRun } = await import('./pipeline-plan.js');
    const { FakeBackend } = await import('./test-support/fakes.js');
    const info = { kind: 'video', path: 'x', width: 256, height: 144, layout: 'rgb24', timeBase: { num: 1, den: 1 }, variableFrameRate: false } as const;
    const cpu = new FakeBackend();
    const gpu = new FakeBackend();
    gpu.info = () => ({ ...cpu.info(), device: 'cuda:0' });
    expect(planRun(info, cpu, { memoryBudgetBytes: 64 * GiB }).batch).toBe(4);
    expect(planRun(info, gpu, { memoryBudgetBytes: 64 * GiB }).batch).toBe(8);
  });
});
