import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir, upframe } from './test-support/cli-harness.js';

// A quiet, consistent CLI: no CUDA warning where no NVIDIA GPU exists, `backends` lists only the
// devices present, usage mistakes exit 2 before any backend starts, and `--json` carries warnings
// as events and errors with their hint.

const dir = tempDir();
const photo = join(dir, 'photo.png');
const noGpu = !existsSync('/proc/driver/nvidia');

/** A plugin backend whose start-up reports one warning, so `--json` has something to carry. */
const WARNER = `export default {
  name: 'warner',
  apiVersion: '1.0',
  register(host) {
    host.backends.add({
      name: 'warner',
      description: 'copies pixels, warns once',
      create: () => ({
        name: 'warner', scale: 1,
        capabilities: () => ({ devices: ['cpu'], modelFormats: ['none'], maxBatch: 4 }),
        async initialize() {},
        info: () => ({ device: 'cpu', provider: 'js', model: { id: 'copy', scale: 1 }, warnings: ['something worth knowing'] }),
        async run(images) { return images; },
        async dispose() {},
      }),
    });
  },
};
`;

beforeAll(async () => {
  await sharp({ create: { width: 16, height: 12, channels: 3, background: { r: 200, g: 40, b: 90 } } }).png().toFile(photo);
});

describe('usage mistakes exit 2 before any backend starts', () => {
  it.each([
    ['an unknown model', () => [photo, '-o', join(tempDir(), 'o.png'), '--model', 'esrgan-huge-x9'], 'MODEL_NOT_FOUND', /unknown model "esrgan-huge-x9"; valid ids: esrgan-slim-x2/],
    ['an unknown model on --backend onnx', () => [photo, '-o', join(tempDir(), 'o.png'), '--model', 'nope', '--backend', 'onnx'], 'MODEL_NOT_FOUND', /unknown model "nope"/],
    ['a missing input', () => [join(dir, 'missing.png'), '-o', join(tempDir(), 'o.png')], 'INPUT_NOT_FOUND', /missing\.png does not exist/],
  ])('%s', async (_what, args, code, message) => {
    const started = Date.now();
    const r = await upframe(['upscale', ...args()]);
    const ms = Date.now() - started;
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`[${code}]`);
    expect(r.stderr).toMatch(message);
    // No backend was tried: `auto` would have said which one it chose, and the error is not a stage's.
    expect(r.stderr).not.toMatch(/backend auto|stage infer|onnx on cuda/);
    expect(ms).toBeLessThan(5000);
  });
});

describe.skipIf(!noGpu)('on a machine without an NVIDIA driver', () => {
  it('--backend onnx (device auto) runs on the CPU with no warning', async () => {
    const r = await upframe(['upscale', photo, '-o', join(tempDir(), 'o.png'), '--backend', 'onnx']);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(/warn|CUDA skipped|warnings:/);
    expect(r.stderr.match(/onnx: running on the CPU: no NVIDIA GPU driver here/g)).toHaveLength(1);
  });

  it('the default --backend auto says the device once, without listing GPU candidates that cannot exist here', async () => {
    const rep = join(tempDir(), 'r.json');
    const r = await upframe(['upscale', photo, '-o', join(tempDir(), 'o.png'), '--report', rep]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^backend auto: using onnx on cpu$/m);
    expect(r.stderr).not.toMatch(/cuda|warn/i);
    // The report keeps every attempt, GPU ones included.
    const report = JSON.parse(readFileSync(rep, 'utf8')) as { details: { backendSelection: { attempts: { device: string }[] } } };
    expect(report.details.backendSelection.attempts.map((a) => a.device)).toContain('cuda');
  });

  it('--device cuda still fails, naming the missing driver', async () => {
    const r = await upframe(['upscale', photo, '-o', join(tempDir(), 'o.png'), '--backend', 'onnx', '--device', 'cuda']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/device cuda is unavailable/);
  });

  it('`backends` lists only the CPU as a device', async () => {
    const r = await upframe(['backends', '--json']);
    expect(r.code).toBe(0);
    const { backends } = JSON.parse(r.stdout) as { backends: { name: string; devices: string[]; targets: string[] }[] };
    const onnx = backends.find((b) => b.name === 'onnx')!;
    expect(onnx.devices).toEqual(['cpu']);
    expect(onnx.targets).toContain('cuda');
    const text = await upframe(['backends']);
    expect(text.stdout).toMatch(/devices: cpu \(cuda needs an NVIDIA GPU; none here\)/);
  });
});

describe('--json', () => {
  it('emits each warning as an event as it happens, before done', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'warner.mjs'), WARNER);
    const r = await upframe(['upscale', photo, '-o', join(tempDir(), 'o.png'), '--plugin', './warner.mjs', '--backend', 'warner', '--model', 'copy', '--json'], { cwd });
    expect(r.code).toBe(0);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { event: string; message?: string });
    const warning = events.findIndex((e) => e.event === 'warning');
    expect(events[warning]).toEqual({ event: 'warning', message: 'warner: something worth knowing' });
    expect(warning).toBeLessThan(events.findIndex((e) => e.event === 'done'));
  });

  it('error events carry their hint', async () => {
    const out = join(tempDir(), 'o.png');
    writeFileSync(out, 'taken');
    const r = await upframe(['upscale', photo, '-o', out, '--json']);
    expect(r.code).toBe(2);
    const error = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { event: string; code: string; hint?: string };
    expect(error).toMatchObject({ event: 'error', code: 'OUTPUT_EXISTS' });
    expect(error.hint).toMatch(/--overwrite/);
  });
});
