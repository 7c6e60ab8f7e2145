import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { countFrames, decodeRgbFrames, ffmpeg, tempDir, upframe } from './test-support/cli-harness.js';

// A plugin backend that upscales 2× by pixel repetition and fails like ONNX Runtime does when a
// call holds more than one image or a side longer than OOM_SIDE pixels: the CLI must recover by
// itself (batch, then tiles), write every frame, and say what it changed.
const PLUGIN = `
const MESSAGE = "Non-zero status code returned while running Conv node. Name:'Conv_3' Status Message: bfc_arena.cc:376 onnxruntime::BFCArena::AllocateRawInternal Failed to allocate memory for requested buffer of size 285081600";
class TightBackend {
  name = 'tight';
  scale = 2;
  capabilities() { return { devices: ['cpu'], modelFormats: ['none'], maxBatch: 16 }; }
  async initialize() {}
  info() { return { device: 'cpu', provider: 'nearest', model: { id: 'nearest-x2', scale: 2 }, warnings: [] }; }
  served = 0;
  async run(images) {
    const limit = Number(process.env.OOM_SIDE ?? Infinity);
    if (images.length > 1 || images.some((im) => Math.max(im.width, im.height) > limit)) throw new Error(MESSAGE);
    // OOM_AFTER: memory runs out for good once that many frames are done (another program took it).
    // (after a while, as a GPU would: by then the frames before have reached the encoder).
    if (this.served >= Number(process.env.OOM_AFTER ?? Infinity)) {
      await new Promise((done) => setTimeout(done, 2500));
      throw new Error(MESSAGE);
    }
    this.served += images.length;
    return images.map((im) => {
      const c = im.channels, w = im.width * 2, h = im.height * 2, out = new Uint8Array(w * h * c);
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let k = 0; k < c; k++) out[(y * w + x) * c + k] = im.data[(((y >> 1) * im.width) + (x >> 1)) * c + k];
      return { width: w, height: h, channels: c, data: out };
    });
  }
  async dispose() {}
}
export default { name: 'tight', apiVersion: '1.0', register(host) { host.backends.add({ name: 'tight', description: 'runs out of memory easily', create: () => new TightBackend() }); } };
`;

const dir = tempDir();
const input = join(dir, 'in.mkv');
const plugin = join(dir, 'tight-plugin.mjs');
const W = 160;
const H = 120;

beforeAll(async () => {
  writeFileSync(plugin, PLUGIN);
  await ffmpeg(['-f', 'lavfi', '-i', `testsrc2=size=${W}x${H}:rate=10:duration=1.2`, '-c:v', 'ffv1', input]);
}, 120_000);

const upscale = (out: string, side: string, ...extra: string[]) => upscaleWith(out, { OOM_SIDE: side }, ...extra);
const upscaleWith = (out: string, env: NodeJS.ProcessEnv, ...extra: string[]) =>
  upframe(['upscale', input, '-o', join(dir, out), '--plugin', plugin, '--backend', 'tight', '--codec', 'ffv1', '--no-config', '--report', join(dir, `${out}.json`), '--quiet', ...extra], {
    env,
  });

describe('out-of-memory recovery through the CLI', () => {
  it('retries at batch 1, then tiles; every frame is written, identical to a run that never ran out of memory', async () => {
    const roomy = await upscale('roomy.mkv', '100000', '--batch', '1', '--tile', 'off');
    expect(roomy.code, roomy.stderr).toBe(0);
    const tight = await upscale('tight.mkv', '150', '--batch', '4', '--tile', 'off');
    expect(tight.code, tight.stderr).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'tight.mkv.json'), 'utf8'));
    // batch 4 → 2 → 1 (a whole 160 px frame is too big), then tile 80: windows of 80 + 2 × 32 = 144 px fit.
    expect(report.warnings).toContain('frame 0: out of memory at batch 4, continued at batch 1, tile 80');
    expect(report.details.outOfMemory).toMatchObject({ finalSetting: 'batch 1, tile 80' });
    expect(report.frames).toMatchObject({ total: 12, inferred: 12, written: 12 });
    expect(await countFrames(join(dir, 'tight.mkv'))).toBe(12);
    const a = await decodeRgbFrames(join(dir, 'roomy.mkv'), W * 2, H * 2);
    const b = await decodeRgbFrames(join(dir, 'tight.mkv'), W * 2, H * 2);
    expect(b.length).toBe(12);
    expect(b.every((frame, i) => frame.equals(a[i]!))).toBe(true);
  }, 180_000);

  it('stops with exit 1 and a message naming the frame and what was tried when even the smallest tile fails', async () => {
    const r = await upscale('never.mkv', '8', '--batch', '2', '--tile', 'off');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/frame 0: out of memory even at batch 1, tile 80 \(tried batch 2; batch 1; batch 1, tile 80\): .*Failed to allocate memory for requested buffer/);
    expect(r.stderr).toMatch(/--device cpu/);
    expect(existsSync(join(dir, 'never.mkv'))).toBe(false);
  }, 180_000);

  it('a run that fails for good keeps its committed parts; the same command resumes once memory is back', async () => {
    const failed = await upscaleWith('later.mkv', { OOM_AFTER: '7' }, '--batch', '1', '--part-seconds', '0.2');
    expect(failed.code).toBe(1);
    // Two batches are in flight: either of frames 7 and 8 may be the one named.
    expect(failed.stderr).toMatch(/frame [78]: out of memory even at batch 1, tile 80/);
    const journal = JSON.parse(readFileSync(join(dir, 'later.mkv.upframe', 'journal.json'), 'utf8'));
    const parts: [number, number][] = journal.parts.map((p: { firstFrame: number; frames: number }) => [p.firstFrame, p.frames]);
    expect(parts.length).toBeGreaterThanOrEqual(2);
    expect(parts).toEqual(parts.map((_, k) => [2 * k, 2]));
    const again = await upscaleWith('later.mkv', {}, '--batch', '1', '--part-seconds', '0.2');
    expect(again.code, again.stderr).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'later.mkv.json'), 'utf8'));
    expect(report.frames).toMatchObject({ written: 12, resumed: 2 * parts.length, computed: 12 - 2 * parts.length });
    expect(report.details.sink).toContain(`resuming at frame ${2 * parts.length} of 12: ${parts.length} of 6 parts done (${join(dir, 'later.mkv.upframe')})`);
    const a = await decodeRgbFrames(join(dir, 'roomy.mkv'), W * 2, H * 2);
    const b = await decodeRgbFrames(join(dir, 'later.mkv'), W * 2, H * 2);
    expect(b.length).toBe(12);
    expect(b.every((frame, i) => frame.equals(a[i]!))).toBe(true);
  }, 180_000);
});
