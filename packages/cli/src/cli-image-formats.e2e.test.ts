import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir, upframe } from './test-support/cli-harness.js';

// Images keep their format by default: JPEG → JPEG at the source's quality (or --quality N),
// PNG frame folders stay PNG; `--format auto` still chooses by content. Hints name CLI flags.

const dir = tempDir();
const photo = join(dir, 'photo.jpg');
const frames = join(dir, 'frames');

/** A textured picture, so JPEG quality makes a visible difference in size. */
async function texture(width: number, height: number): Promise<sharp.Sharp> {
  const data = Buffer.alloc(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = (i * 37 + ((i / 3) % width) * 11 + Math.floor(i / (width * 3)) * 23) & 0xff;
  return sharp(data, { raw: { width, height, channels: 3 } });
}

beforeAll(async () => {
  await (await texture(40, 30)).jpeg({ quality: 70 }).toFile(photo);
  mkdirSync(frames);
  for (let i = 1; i <= 3; i++) {
    await sharp({ create: { width: 24, height: 16, channels: 3, background: { r: 40 * i, g: 120, b: 60 } } }).png().toFile(join(frames, `frame_${String(i).padStart(4, '0')}.png`));
  }
});

const report = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as { details: { format: string; sink?: string[] } };

describe('JPEG → JPEG by default', () => {
  it('writes JPEG at the quality estimated from the source', async () => {
    const out = join(tempDir(), 'big.jpg');
    const rep = join(tempDir(), 'r.json');
    const r = await upframe(['upscale', photo, '-o', out, '--quiet', '--report', rep]);
    expect(r.code).toBe(0);
    expect((await sharp(out).metadata())).toMatchObject({ format: 'jpeg', width: 80, height: 60 });
    expect(report(rep).details.format).toMatch(/jpeg at the source's estimated quality 70/);
  });

  it('--quality N sets the quality instead, and a lower one makes a smaller file', async () => {
    const hi = join(tempDir(), 'hi.jpg');
    const lo = join(tempDir(), 'lo.jpg');
    const rep = join(tempDir(), 'r.json');
    expect((await upframe(['upscale', photo, '-o', hi, '--quality', '95', '--quiet', '--report', rep])).code).toBe(0);
    expect(report(rep).details.format).toMatch(/quality 95/);
    expect((await upframe(['upscale', photo, '-o', lo, '--quality', '20', '--quiet'])).code).toBe(0);
    expect(readFileSync(lo).length).toBeLessThan(readFileSync(hi).length);
  });

  it('--format auto also writes JPEG → JPEG', async () => {
    const out = join(tempDir(), 'a.jpg');
    expect((await upframe(['upscale', photo, '-o', out, '--format', 'auto', '--quiet'])).code).toBe(0);
    expect((await sharp(out).metadata()).format).toBe('jpeg');
  });

  it('a bad --quality exits 2 naming the range', async () => {
    const r = await upframe(['upscale', photo, '-o', join(tempDir(), 'x.jpg'), '--quality', '101']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--quality must be an integer from 1 to 100/);
  });

  it('PNG → .jpg still needs consent, and the hint names CLI flags, not code', async () => {
    const png = join(tempDir(), 'p.png');
    await (await texture(16, 12)).png().toFile(png);
    const r = await upframe(['upscale', png, '-o', join(tempDir(), 'p.jpg')]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/hint: .*--format-opt lossy=true.*--quality 90/);
    expect(r.stderr).not.toMatch(/hint: .*[{}]/);
    const ok = await upframe(['upscale', png, '-o', join(tempDir(), 'p.jpg'), '--quality', '90', '--quiet']);
    expect(ok.code).toBe(0);
  });
});

describe('frame folders keep their format family', () => {
  it('PNG frames in → PNG frames out by default, with the same names', async () => {
    const out = join(tempDir(), 'out');
    const r = await upframe(['upscale', frames, '-o', out, '--quiet']);
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['frame_0001.png', 'frame_0002.png', 'frame_0003.png']);
    expect((await sharp(join(out, 'frame_0001.png')).metadata())).toMatchObject({ format: 'png', width: 48 });
  });

  it('--format auto chooses by content as before (lossless WebP for flat frames)', async () => {
    const out = join(tempDir(), 'out');
    const r = await upframe(['upscale', frames, '-o', out, '--format', 'auto', '--quiet']);
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['frame_0001.webp', 'frame_0002.webp', 'frame_0003.webp']);
  });
});
