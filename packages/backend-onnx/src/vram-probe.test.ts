import { describe, expect, it } from 'vitest';
import { nvidiaSmiTarget, parseFreeMiB, probeVramBudget, VRAM_FRACTION, type CommandRunner } from './vram-probe.js';

const MiB = 1024 * 1024;

/** Answers like nvidia-smi with `free` MiB per GPU index, and records every call. */
function fakeSmi(free: Record<string, string>) {
  const calls: { command: string; args: readonly string[]; timeoutMs: number }[] = [];
  const run: CommandRunner = async (command, args, timeoutMs) => {
    calls.push({ command, args, timeoutMs });
    const gpu = args[args.indexOf('-i') + 1];
    if (!(gpu in free)) throw new Error(`No devices were found (${gpu})`);
    return free[gpu];
  };
  return { run, calls };
}

describe('probeVramBudget', () => {
  it('plans a fraction of the free VRAM nvidia-smi reports for the chosen GPU, asking with a timeout', async () => {
    const smi = fakeSmi({ '0': '500\n', '1': '10000\n' });
    const budget = await probeVramBudget('cuda:1', { run: smi.run, env: {}, timeoutMs: 1234 });
    expect(budget).toEqual({ bytes: Math.floor(10000 * MiB * VRAM_FRACTION), detail: '10000 MiB free on GPU 1 (nvidia-smi), planning 7000 MiB' });
    expect(smi.calls).toEqual([{ command: 'nvidia-smi', args: ['--query-gpu=memory.free', '--format=csv,noheader,nounits', '-i', '1'], timeoutMs: 1234 }]);
    expect((await probeVramBudget('cuda', { run: smi.run, env: {} }))?.bytes).toBe(Math.floor(500 * MiB * VRAM_FRACTION));
  });

  it('asks nothing for a CPU device', async () => {
    const smi = fakeSmi({ '0': '100' });
    expect(await probeVramBudget('cpu', { run: smi.run })).toBeUndefined();
    expect(smi.calls).toHaveLength(0);
  });

  it('gives no budget (the planner falls back to RAM) when nvidia-smi fails, times out or prints something else', async () => {
    const missing: CommandRunner = async () => {
      throw Object.assign(new Error('spawn nvidia-smi ENOENT'), { code: 'ENOENT' });
    };
    const timedOut: CommandRunner = async () => {
      throw Object.assign(new Error('Command failed'), { killed: true, signal: 'SIGTERM' });
    };
    expect(await probeVramBudget('cuda:0', { run: missing })).toBeUndefined();
    expect(await probeVramBudget('cuda:0', { run: timedOut })).toBeUndefined();
    expect(await probeVramBudget('cuda:3', { run: fakeSmi({ '0': '1' }).run, env: {} })).toBeUndefined();
    expect(await probeVramBudget('cuda:0', { run: fakeSmi({ '0': '[N/A]\n' }).run, env: {} })).toBeUndefined();
  });

  it('maps a CUDA ordinal through CUDA_VISIBLE_DEVICES to the GPU nvidia-smi knows', async () => {
    expect(nvidiaSmiTarget(0, { CUDA_VISIBLE_DEVICES: '2,3' })).toBe('2');
    expect(nvidiaSmiTarget(1, { CUDA_VISIBLE_DEVICES: 'GPU-aaaa, GPU-bbbb' })).toBe('GPU-bbbb');
    expect(nvidiaSmiTarget(1, {})).toBe('1');
    const smi = fakeSmi({ '3': '2048' });
    expect(await probeVramBudget('cuda:1', { run: smi.run, env: { CUDA_VISIBLE_DEVICES: '2,3' } })).toMatchObject({ detail: expect.stringContaining('on GPU 3') });
  });
});

describe('parseFreeMiB', () => {
  it('reads the first line of csv,noheader,nounits output', () => {
    expect(parseFreeMiB('  7931\n')).toBe(7931);
    expect(parseFreeMiB('7931\n11000\n')).toBe(7931);
    expect(parseFreeMiB('')).toBeUndefined();
    expect(parseFreeMiB('0\n')).toBeUndefined();
    expect(parseFreeMiB('7931 MiB')).toBeUndefined();
  });
});
