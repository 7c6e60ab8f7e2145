import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { ffmpeg, tempDir, upframe } from './test-support/cli-harness.js';

// Options end to end with the built CLI: `--*-opt` flags and config `*Options` reach the stage
// with a visible effect, a config file's `defaults` beat the built-ins, plugin options from the
// config reach register(), and a bad option stops the run with exit 2 before a backend starts.

const dir = tempDir();
/** 8 identical frames at 8 fps: `near` makes every frame after the first a duplicate (run ≤ 1 s). */
const held = join(dir, 'held.mkv');
const photo = join(dir, 'photo.png');

/** A plugin a user keeps in their project: a nearest-neighbour backend whose factor is an option. */
const PLUGIN = `export default {
  name: 'greeter',
  apiVersion: '1.0',
  register(host, options) {
    host.backends.add({
      name: 'greeter',
      description: 'says ' + (options.greeting ?? 'nothing'),
      options: { factor: { type: 'integer', min: 1, max: 4, description: 'upscale factor' } },
      create: (o) => {
        const f = o.extra?.factor ?? 2;
        const up = (im) => {
          const data = new Uint8Array(im.width * f * im.height * f * im.channels);
          for (let y = 0; y < im.height * f; y++) for (let x = 0; x < im.width * f; x++) for (let c = 0; c < im.channels; c++)
            data[(y * im.width * f + x) * im.channels + c] = im.data[(Math.floor(y / f) * im.width + Math.floor(x / f)) * im.channels + c];
          return { width: im.width * f, height: im.height * f, channels: im.channels, data };
        };
        return {
          name: 'greeter', scale: f,
          capabilities: () => ({ devices: ['cpu'], modelFormats: ['none'], layouts: ['nhwc'], maxBatch: 4, fp16: false }),
          async initialize() {},
          info: () => ({ device: 'cpu', provider: 'js', model: { id: 'nearest-x' + f, scale: f }, warnings: [] }),
          async run(images) { return images.map(up); },
          async dispose() {},
        };
      },
    });
  },
};
`;

beforeAll(async () => {
  await ffmpeg(['-f', 'lavfi', '-i', 'color=c=0x336699:size=32x24:rate=8', '-frames:v', '8', '-c:v', 'libx264', '-qp', '0', '-pix_fmt', 'yuv444p', '-threads', '1', held]);
  await sharp({ create: { width: 16, height: 12, channels: 3, background: { r: 200, g: 40, b: 90 } } }).png().toFile(photo);
});

/** A folder holding `upframe.config.json` (and the plugin), to run upframe in. */
function project(config: object): string {
  const cwd = tempDir();
  writeFileSync(join(cwd, 'greeter.mjs'), PLUGIN);
  writeFileSync(join(cwd, 'upframe.config.json'), JSON.stringify(config));
  return cwd;
}

async function run(args: readonly string[], cwd?: string) {
  const reportFile = join(tempDir(), 'report.json');
  const r = await upframe([...args, '--report', reportFile, '--quiet'], { cwd });
  expect(r.stderr.replace(/^upframe: using config .*\n/, '')).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(readFileSync(reportFile, 'utf8'));
}

const webpChunk = (file: string) => readFileSync(file).subarray(12, 16).toString('latin1');

describe('--backend-opt, --dedupe-opt, --format-opt reach the stage', () => {
  it('onnx maxBatch: the flag beats the config\'s backendOptions, and both show in the plan\'s batch', async () => {
    // On the CPU onnx runs one whole frame per call unless a batch is asked for; maxBatch caps what is asked.
    const cwd = project({ defaults: { backend: 'onnx', dedupe: 'off', batch: 4, backendOptions: { maxBatch: 2 } } });
    const fromConfig = await run(['upscale', held, '-o', join(tempDir(), 'a.mkv')], cwd);
    expect(fromConfig.details.plan.batch).toBe(2);
    const fromFlag = await run(['upscale', held, '-o', join(tempDir(), 'b.mkv'), '--backend-opt', 'maxBatch=1'], cwd);
    expect(fromFlag.details.plan.batch).toBe(1);
    expect(fromFlag.frames).toMatchObject({ total: 8, inferred: 8 });
  });

  it('near maxRunFrames changes how many frames are duplicates', async () => {
    const base = ['upscale', held, '--backend', 'onnx', '--dedupe', 'near'];
    expect((await run([...base, '-o', join(tempDir(), 'c.mkv')])).frames.duplicates).toBe(7);
    // A run of at most 2 duplicates: frames 3 and 6 are inferred again.
    expect((await run([...base, '-o', join(tempDir(), 'd.mkv'), '--dedupe-opt', 'maxRunFrames=2'])).frames.duplicates).toBe(5);
  });

  it('a format option changes the file written: webp quality makes it lossy', async () => {
    const lossless = join(tempDir(), 'e.webp');
    await run(['upscale', photo, '-o', lossless, '--backend', 'onnx', '--format', 'webp']);
    expect(webpChunk(lossless)).toBe('VP8L');
    const lossy = join(tempDir(), 'f.webp');
    await run(['upscale', photo, '-o', lossy, '--backend', 'onnx', '--format', 'webp', '--format-opt', 'quality=50']);
    expect(webpChunk(lossy)).toBe('VP8 ');
  });
});

describe('bad options stop the run with exit 2 before any backend starts', () => {
  it('an unknown key lists the allowed keys and types (the missing model is never reached)', async () => {
    const out = join(tempDir(), 'g.mkv');
    const r = await upframe(['upscale', held, '-o', out, '--backend', 'onnx', '--model', join(dir, 'no-such.onnx'), '--backend-opt', 'maxbatch=2']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown option "maxbatch" for backend onnx; allowed: maxBatch (integer 1–64), worker (auto|on|off), pixelsInGraph (boolean), spinning (boolean), tensorrt (boolean), ioLayout (nchw|nhwc)');
    expect(r.stderr).toContain('[USAGE]');
    expect(r.stderr).not.toMatch(/MODEL_NOT_FOUND/);
    expect(existsSync(out)).toBe(false);
  });

  it('a bad value, and an option for a stage that declares none', async () => {
    const bad = await upframe(['upscale', held, '-o', join(tempDir(), 'h.mkv'), '--dedupe-opt', 'hi=lots']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('option "hi" for dedupe strategy near must be an integer 0–16320, got "lots"');
    const none = await upframe(['upscale', held, '-o', join(tempDir(), 'i.mkv'), '--dedupe', 'off', '--dedupe-opt', 'hi=3']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('dedupe strategy off declares no options, so "hi" cannot be set');
  });

  it('a bad config default names the file and the key', async () => {
    const cwd = project({ defaults: { batch: 0 } });
    const r = await upframe(['upscale', held, '-o', join(tempDir(), 'j.mkv')], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${join(cwd, 'upframe.config.json')}: "defaults.batch" is invalid: --batch must be auto or a positive integer, got "0"`);
    const unknown = await upframe(['upscale', held, '-o', join(tempDir(), 'k.mkv')], { cwd: project({ defaults: { batchSize: 4 } }) });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown key "defaults.batchSize"; allowed: backend, model, device, precision, dedupe, format, lossy, quality, batch, /);
  });
});

describe('the config file', () => {
  it('plugins given as ["path", { options }] get them in register(), and defaults.backend picks the plugin', async () => {
    const cwd = project({ plugins: [['./greeter.mjs', { greeting: 'hi' }]], defaults: { backend: 'greeter' } });
    const listed = await upframe(['backends', '--json'], { cwd });
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout).backends.find((b: { name: string }) => b.name === 'greeter')).toMatchObject({ description: 'says hi' });

    const out = join(tempDir(), 'l.png');
    const report = await run(['upscale', photo, '-o', out, '--backend-opt', 'factor=3'], cwd);
    expect(report.backend).toMatchObject({ name: 'greeter' });
    expect(await sharp(out).metadata()).toMatchObject({ width: 48, height: 36 });
    // The plugin's own schema is what --backend-opt is checked against.
    const bad = await upframe(['upscale', photo, '-o', join(tempDir(), 'm.png'), '--backend-opt', 'factor=9'], { cwd });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('option "factor" for backend greeter must be an integer 1–4, got "9"');
  });

  it('a malformed plugins entry is a usage error naming the file', async () => {
    const cwd = project({ plugins: [['./greeter.mjs', 'hi']] });
    const r = await upframe(['backends', '--json'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${join(cwd, 'upframe.config.json')}: plugins[0] must be "name" or ["name", { options }], got ["./greeter.mjs","hi"]`);
  });
});
