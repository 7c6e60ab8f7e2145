import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { listDir, tempDir, upframe } from './test-support/cli-harness.js';

const entry = createRequire(import.meta.url).resolve('@upscalerjs/esrgan-slim');
const fixture = join(entry.slice(0, entry.lastIndexOf('/dist/')), 'assets', 'fixture.png');

describe('upframe upscale images and frame folders', () => {
  it('image → image at the model scale, alpha kept', async () => {
    const dir = tempDir();
    const out = join(dir, 'flower-x3.png');
    const r = await upframe(['upscale', fixture, '-o', out, '--model', 'esrgan-slim-x3', '--quiet']);
    expect(r.code).toBe(0);
    const meta = await sharp(out).metadata();
    expect([meta.width, meta.height]).toEqual([384, 384]);
    expect(meta.channels).toBe(4);
  });

  it('frames dir → frames dir keeps numbering and count; validate checks a folder on its own', async () => {
    const dir = tempDir();
    const frames = join(dir, 'frames');
    mkdirSync(frames);
    for (let i = 1; i <= 4; i++) {
      await sharp(fixture).removeAlpha().extract({ left: i * 8, top: 8, width: 48, height: 32 }).png().toFile(join(frames, `shot_${String(i).padStart(3, '0')}.png`));
    }
    const v = await upframe(['validate', frames]);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/4 frames, 48x32/);
    const out = join(dir, 'out');
    const r = await upframe(['upscale', frames, '-o', out, '--format', 'png', '--quiet']);
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['shot_001.png', 'shot_002.png', 'shot_003.png', 'shot_004.png']);
    expect((await sharp(join(out, 'shot_004.png')).metadata()).width).toBe(96);
  });

  it('validate lists missing frames and exits 1', async () => {
    const dir = tempDir();
    for (const n of [1, 2, 5]) await sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } }).png().toFile(join(dir, `f${n}.png`));
    const r = await upframe(['validate', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/2 missing \(first 2: 3, 4\)/);
  });

  it('bad input: a file that is not media fails with exit 1, names the file, leaves no output', async () => {
    const dir = tempDir();
    const bad = join(dir, 'notes.mp4');
    writeFileSync(bad, 'this is not a video');
    const r = await upframe(['upscale', bad, '-o', join(dir, 'out.mp4')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/upframe: error: .*notes\.mp4/);
    expect(r.stderr).toMatch(/hint: /);
    expect(listDir(dir)).toEqual(['notes.mp4']);
  });

  it('bad input: a missing file names it and is a usage error (exit 2)', async () => {
    const r = await upframe(['upscale', '/nonexistent/clip.mp4', '-o', join(tempDir(), 'o.mp4')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\/nonexistent\/clip\.mp4/);
  });
});
