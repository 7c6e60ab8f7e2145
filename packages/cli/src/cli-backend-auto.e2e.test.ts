import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ffmpeg, tempDir, upframe } from './test-support/cli-harness.js';

const dir = tempDir();
const image = join(dir, 'in.png');
const disposedMarker = join(dir, 'flaky-disposed');

// A plugin as a third party could write it, without importing core: a backend that ranks above
// every built-in and cannot initialise here, and leaves a mark when it is disposed.
const FLAKY_PLUGIN = `import { writeFileSync } from 'node:fs';
export default {
  name: 'flaky',
  apiVersion: '1.0',
  register(host) {
    host.backends.add({
      name: 'flaky-gpu',
      description: 'needs an accelerator this machine lacks',
      priority: 100,
      create: () => ({
        name: 'flaky-gpu',
        scale: 2,
        capabilities: () => ({ devices: ['cpu'], modelFormats: ['tfjs-layers', 'onnx'], maxBatch: 1 }),
        async initialize() {
          throw Object.assign(new Error('no accelerator attached'), { code: 'BACKEND_INIT_FAILED' });
        },
        info: () => { throw new Error('not initialised'); },
        async run() { throw new Error('not initialised'); },
        async dispose() { writeFileSync(${JSON.stringify(disposedMarker)}, 'yes'); },
      }),
    });
  },
};
`;

interface Attempt {
  backend: string;
  device: string;
  status: string;
  reason?: string;
  code?: string;
}

const readReport = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as { backend: { name: string; device: string }; details: { backendSelection?: { chosen: { backend: string; device: string } | null; attempts: Attempt[] } } };

beforeAll(async () => {
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=32x24', '-frames:v', '1', image]);
  writeFileSync(join(dir, 'flaky-plugin.mjs'), FLAKY_PLUGIN);
});

describe('--backend auto (the default)', () => {
  it('with no --backend picks onnx, on the CPU when this machine has no CUDA, says so, and reports every attempt', async () => {
    const report = join(dir, 'auto.json');
    const r = await upframe(['upscale', image, '-o', join(dir, 'auto.png'), '--report', report]);
    expect(r.code).toBe(0);
    const json = readReport(report);
    const selection = json.details.backendSelection!;
    expect(json.backend.name).toBe('onnx');
    expect(selection.chosen?.backend).toBe('onnx');
    const chosen = selection.attempts.at(-1)!;
    expect(chosen).toMatchObject({ backend: 'onnx', status: 'ok' });
    // Everything before the chosen one failed, each with a reason; here (no CUDA) that is both GPU candidates.
    for (const a of selection.attempts.slice(0, -1)) expect(a).toMatchObject({ status: 'failed', reason: expect.any(String) });
    if (selection.attempts[0]?.backend === 'onnx' && selection.attempts[0].status === 'failed') {
      expect(selection.attempts.map((a) => `${a.backend}/${a.device}`)).toEqual(['onnx/cuda', 'tfjs/cuda', 'onnx/cpu']);
      expect(selection.chosen).toEqual({ backend: 'onnx', device: 'cpu' });
      expect(json.backend.device).toBe('cpu');
    }
    expect(r.stderr).toMatch(/^backend auto: using onnx on (cpu|cuda:\d+)/m);
  });

  it('falls back past a higher-priority plugin backend that fails to initialise, disposing it, with its reason in the report', async () => {
    const report = join(dir, 'fallback.json');
    const r = await upframe(['upscale', image, '-o', join(dir, 'fallback.png'), '--plugin', join(dir, 'flaky-plugin.mjs'), '--report', report, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const selection = readReport(report).details.backendSelection!;
    expect(selection.attempts[0]).toMatchObject({ backend: 'flaky-gpu', device: 'auto', status: 'failed', code: 'BACKEND_INIT_FAILED', reason: expect.stringContaining('no accelerator attached') });
    expect(selection.chosen?.backend).toBe('onnx');
    expect(existsSync(disposedMarker)).toBe(true);
  });

  it('explicit --backend onnx runs onnx alone, with no selection in the report', async () => {
    const report = join(dir, 'explicit.json');
    const r = await upframe(['upscale', image, '-o', join(dir, 'explicit.png'), '--backend', 'onnx', '--plugin', join(dir, 'flaky-plugin.mjs'), '--report', report, '--quiet']);
    expect(r.code).toBe(0);
    const json = readReport(report);
    expect(json.backend.name).toBe('onnx');
    expect(json.details.backendSelection).toBeUndefined();
  });
});

describe('upframe backends', () => {
  it('shows the auto order and, for each candidate, whether it is usable here and why not (JSON and text)', async () => {
    const plugin = join(dir, 'flaky-plugin.mjs');
    const r = await upframe(['backends', '--json', '--plugin', plugin]);
    expect(r.code).toBe(0);
    const { auto } = JSON.parse(r.stdout) as { auto: { candidates: (Attempt & { rank: number; usable: boolean; priority: number })[]; picks: { backend: string } | null } };
    const order = auto.candidates.map((c) => `${c.backend}/${c.device}`);
    expect(order).toEqual(['flaky-gpu/auto', 'onnx/cuda', 'tfjs/cuda', 'onnx/cpu', 'tfjs/cpu']);
    expect(auto.candidates.map((c) => c.priority)).toEqual([100, 40, 30, 20, 10]);
    expect(auto.candidates[0]).toMatchObject({ rank: 1, usable: false, reason: expect.stringContaining('no accelerator attached') });
    expect(auto.candidates.find((c) => c.backend === 'onnx' && c.device === 'cpu')).toMatchObject({ usable: true, ranOn: 'cpu' });
    expect(auto.picks?.backend).toBe('onnx');
    const text = await upframe(['backends', '--plugin', plugin, '--device', 'cpu']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('auto order (--backend auto, --device cpu');
    expect(text.stdout).toMatch(/^1\s+flaky-gpu\s+cpu\s+100\s+no\s+.*no accelerator attached/m);
    expect(text.stdout).toMatch(/^2\s+onnx\s+cpu\s+20\s+yes\s+onnxruntime-node cpu on cpu/m);
    expect(text.stdout).toContain('auto picks: onnx on cpu');
  });
});
