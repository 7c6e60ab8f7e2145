import { describe, expect, it } from 'vitest';
import { probeFirstGpuBudget, VRAM_FRACTION, type CommandRunner } from './gpu-memory.js';

describe('probeFirstGpuBudget', () => {
  it('asks nvidia-smi about the first visible GPU and plans a fraction of its free memory', async () => {
    const asked: string[][] = [];
    const run: CommandRunner = async (_cmd, args) => (asked.push([...args]), '8000\n');
    const budget = await probeFirstGpuBudget({ run, env: { CUDA_VISIBLE_DEVICES: '3,1' } });
    expect(asked[0]?.slice(-2)).toEqual(['-i', '3']);
    expect(budget?.bytes).toBe(Math.floor(8000 * 1024 * 1024 * VRAM_FRACTION));
    expect(budget?.detail).toMatch(/^8000 MiB free on GPU 3 before TensorFlow loaded/);
    await probeFirstGpuBudget({ run, env: {} });
    expect(asked[1]?.slice(-2)).toEqual(['-i', '0']);
  });

  it('gives no budget when nvidia-smi fails or answers something else', async () => {
    expect(await probeFirstGpuBudget({ run: async () => Promise.reject(new Error('ENOENT')) })).toBeUndefined();
    expect(await probeFirstGpuBudget({ run: async () => '[N/A]' })).toBeUndefined();
  });
});
