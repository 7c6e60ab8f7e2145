import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveFfmpegBinaries } from '@upframe/io';
import { beforeAll, describe, expect, it } from 'vitest';
import { ffmpeg, tempDir, upframe } from './test-support/cli-harness.js';

// High bit depth end to end: frames deeper than 8 bits travel as 16-bit samples from the decoder to
// the encoder, and the output keeps the input's bit depth and chroma subsampling by default; where
// the chosen codec cannot store them, one warning names what is reduced and what keeps it.

const dir = tempDir();
const ramp10 = join(dir, 'ramp10.mp4');
const prores = join(dir, 'prores422.mov');
const yuv444 = join(dir, 'yuv444.mkv');
const png16 = join(dir, 'ramp16.png');
const eight = join(dir, 'eight.mp4');

/** 16 ten-bit levels (480..495) over 128 px: 4 levels of 8 bits, so an 8-bit path shows steps of ~4. */
const RAMP = "geq=lum='480+X/8':cb=512:cr=512";

interface Stream { pix_fmt: string; width: number; height: number; profile?: string; codec_name: string }

async function probe(file: string): Promise<Stream> {
  const { ffprobe } = await resolveFfmpegBinaries();
  const r = spawnSync(ffprobe.path, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=pix_fmt,width,height,profile,codec_name', '-of', 'json', file], { encoding: 'utf8' });
  return (JSON.parse(r.stdout) as { streams: Stream[] }).streams[0];
}

/** The first frame decoded to `pixFmt` (a 16-bit little-endian format), as samples. */
async function decode16(file: string, pixFmt: string): Promise<Uint16Array> {
  const { ffmpeg: bin } = await resolveFfmpegBinaries();
  const r = spawnSync(bin.path, ['-v', 'error', '-i', file, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', pixFmt, '-'], { maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`decoding ${file} failed: ${r.stderr}`);
  const bytes = Uint8Array.from(r.stdout);
  return new Uint16Array(bytes.buffer, 0, bytes.length >> 1);
}

/** Distinct values and the largest step between neighbours along row `y` of a plane (edges left out). */
function rowStats(plane: Uint16Array, width: number, y: number, stride = 1, offset = 0): { levels: number; maxStep: number; row: number[] } {
  const row: number[] = [];
  for (let x = 8; x < width - 8; x++) row.push(plane[(y * width + x) * stride + offset]);
  const maxStep = Math.max(...row.slice(1).map((v, i) => Math.abs(v - row[i])));
  return { levels: new Set(row).size, maxStep, row };
}

const count = (text: string, needle: string) => text.split(needle).length - 1;
const report = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as { warnings: string[]; details: { depth: { input: Record<string, unknown>; frames: { layout: string }; output: Record<string, unknown> } } };

beforeAll(async () => {
  const src = (fmt: string, size = '128x72') => ['-f', 'lavfi', '-i', `nullsrc=s=${size}:d=0.12:r=25,format=${fmt},${RAMP}`];
  await ffmpeg([...src('yuv420p10le'), '-c:v', 'libx265', '-pix_fmt', 'yuv420p10le', '-x265-params', 'lossless=1:log-level=error', ramp10]);
  await ffmpeg([...src('yuv422p10le'), '-c:v', 'prores_ks', '-profile:v', '3', '-pix_fmt', 'yuv422p10le', prores]);
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=128x72:rate=25:duration=0.12', '-c:v', 'libx264', '-pix_fmt', 'yuv444p', '-crf', '0', yuv444]);
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=128x72:rate=25:duration=0.12', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', eight]);
  // A 16-bit RGB ramp: 4096 levels over 128 px, far more than 8 bits can hold.
  await ffmpeg(['-f', 'lavfi', '-i', "nullsrc=s=128x72:d=0.04,format=gbrp16le,geq=r='20000+X*32':g='20000+X*32':b='20000+X*32'", '-frames:v', '1', '-pix_fmt', 'rgb48be', png16]);
});

describe('high bit depth end to end', () => {
  it('upscales a smooth 10-bit HEVC ramp to a 10-bit file without 8-bit steps', async () => {
    const out = join(dir, 'ramp10-out.mp4');
    const rep = join(dir, 'ramp10.json');
    const r = await upframe(['upscale', ramp10, '-o', out, '--crf', '0', '--dedupe', 'off', '--quiet', '--report', rep]);
    expect(r.code, r.stderr).toBe(0);
    const s = await probe(out);
    expect(s.pix_fmt).toBe('yuv420p10le');
    expect(s.width).toBe(256);
    const y = rowStats(await decode16(out, 'yuv420p10le'), 256, 72);
    // The input holds 16 levels; an 8-bit path leaves ~5 of them with steps of 3–4 (measured: 6 levels, step 4).
    expect(y.levels).toBeGreaterThanOrEqual(13);
    expect(y.maxStep).toBeLessThanOrEqual(2);
    expect(Math.min(...y.row)).toBeGreaterThanOrEqual(478);
    expect(Math.max(...y.row)).toBeLessThanOrEqual(497);
    const details = report(rep).details.depth;
    expect(details).toMatchObject({ input: { bitDepth: 10, chroma: '4:2:0', pixelFormat: 'yuv420p10le' }, frames: { layout: 'rgb48' }, output: { bitDepth: 10, chroma: '4:2:0', pixelFormat: 'yuv420p10le' } });
    expect(report(rep).warnings).toEqual([]);
  }, 180_000);

  it('carries 16-bit frames end to end with an explicit --codec libx265 --pix-fmt yuv420p10le, also on the bundled ffmpeg 4.1', async () => {
    const bundled = await resolveFfmpegBinaries({ env: {} });
    const out = join(dir, 'ramp10-x265.mkv');
    const rep = join(dir, 'ramp10-x265.json');
    const env = { FFMPEG_PATH: bundled.ffmpeg.path, FFPROBE_PATH: bundled.ffprobe.path };
    const r = await upframe(['upscale', ramp10, '-o', out, '--codec', 'libx265', '--pix-fmt', 'yuv420p10le', '--crf', '4', '--dedupe', 'off', '--quiet', '--report', rep], { env });
    expect(r.code, r.stderr).toBe(0);
    expect((await probe(out)).pix_fmt).toBe('yuv420p10le');
    expect(report(rep).details.depth.frames.layout).toBe('rgb48');
    const y = rowStats(await decode16(out, 'yuv420p10le'), 256, 72);
    expect(y.levels).toBeGreaterThanOrEqual(12);
    expect(y.maxStep).toBeLessThanOrEqual(2);
  }, 180_000);

  it('tiles 16-bit frames seamlessly: --tile 32 writes the same 10-bit pixels as no tiling', async () => {
    const md5s: string[] = [];
    for (const tile of ['32', 'off']) {
      const out = join(dir, `ramp10-tile-${tile}.mkv`);
      const r = await upframe(['upscale', ramp10, '-o', out, '--codec', 'ffv1', '--tile', tile, '--dedupe', 'off', '--quiet']);
      expect(r.code, r.stderr).toBe(0);
      expect((await probe(out)).pix_fmt).toBe('yuv420p10le');
      md5s.push(createHash('md5').update(await decode16(out, 'yuv420p10le')).digest('hex'));
    }
    expect(md5s[0]).toBe(md5s[1]);
  }, 180_000);

  it('keeps ProRes 4:2:2 10-bit as 4:2:2 10-bit', async () => {
    const out = join(dir, 'prores-out.mov');
    const rep = join(dir, 'prores.json');
    const r = await upframe(['upscale', prores, '-o', out, '--dedupe', 'off', '--quiet', '--report', rep]);
    expect(r.code, r.stderr).toBe(0);
    expect((await probe(out)).pix_fmt).toBe('yuv422p10le');
    expect(report(rep).details.depth).toMatchObject({ input: { bitDepth: 10, chroma: '4:2:2' }, output: { bitDepth: 10, chroma: '4:2:2' } });
    expect(r.stderr).not.toMatch(/reduced/);
  }, 180_000);

  it('keeps a 4:4:4 input 4:4:4', async () => {
    const out = join(dir, 'yuv444-out.mkv');
    const r = await upframe(['upscale', yuv444, '-o', out, '--dedupe', 'off', '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    expect((await probe(out)).pix_fmt).toBe('yuv444p');
  }, 180_000);

  it('writes a 16-bit PNG from a 16-bit PNG, with levels between 8-bit steps', async () => {
    const out = join(dir, 'ramp16-out.png');
    const r = await upframe(['upscale', png16, '-o', out, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    expect((await probe(out)).pix_fmt).toMatch(/^rgb48/);
    const g = rowStats(await decode16(out, 'rgb48le'), 256, 72, 3, 1);
    // The ramp spans 20000..24064, 16 levels of 8 bits; at 16 bits nearly every one of the 240 pixels differs.
    expect(g.levels).toBeGreaterThan(100);
    expect(g.row.filter((v) => v % 257 !== 0).length).toBeGreaterThan(g.row.length / 2);
  }, 180_000);

  it('keeps a 16-bit alpha channel at 16 bits (resampled beside the model)', async () => {
    const input = join(dir, 'alpha16.png');
    await ffmpeg(['-f', 'lavfi', '-i', "nullsrc=s=64x48:d=0.04,format=gbrap16le,geq=r='20000+X*100':g=30000:b='40000+Y*50':a='30000+X*500'", '-frames:v', '1', '-pix_fmt', 'rgba64be', input]);
    const out = join(dir, 'alpha16-out.png');
    const r = await upframe(['upscale', input, '-o', out, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    expect((await probe(out)).pix_fmt).toMatch(/^rgba64/);
    const alpha = (await decode16(out, 'rgba64le')).filter((_, i) => i % 4 === 3);
    // 64 alpha levels 500 apart in the input; bicubic resampling adds levels between them, none rounded to 8 bits.
    expect(new Set(alpha).size).toBeGreaterThan(64);
    expect(alpha.filter((v) => v % 257 !== 0).length).toBeGreaterThan(alpha.length / 2);
    expect(Math.min(...alpha)).toBeGreaterThan(29000);
  }, 180_000);

  it('says once what a codec that cannot store 10 bits reduces, and which codec keeps it', async () => {
    const out = join(dir, 'ramp10-mpeg4.mp4');
    const rep = join(dir, 'mpeg4.json');
    const r = await upframe(['upscale', ramp10, '-o', out, '--codec', 'mpeg4', '--dedupe', 'off', '--report', rep]);
    expect(r.code, r.stderr).toBe(0);
    expect((await probe(out)).pix_fmt).toBe('yuv420p');
    const warning = 'but mpeg4 stores at most 8-bit 4:2:0 here: the output is reduced (10-bit 4:2:0 → 8-bit 4:2:0, yuv420p); --codec libx264 keeps it (yuv420p10le)';
    expect(count(r.stderr, warning)).toBe(1);
    expect(report(rep).warnings.filter((w) => w.includes(warning))).toHaveLength(1);
    expect(report(rep).details.depth.output).toMatchObject({ bitDepth: 8, pixelFormat: 'yuv420p' });
  }, 180_000);

  it('says once that WebP keeps 8 bits of a 16-bit PNG, and which format keeps them', async () => {
    const out = join(dir, 'ramp16-out.webp');
    const r = await upframe(['upscale', png16, '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(count(r.stderr, 'but webp stores 8 bits per sample')).toBe(1);
    expect(r.stderr).toContain('write .png or .tiff (or --format png) to keep the depth');
  }, 180_000);

  it('leaves 8-bit 4:2:0 input on the 8-bit path: yuv420p, rgb24 frames, no depth warning', async () => {
    const out = join(dir, 'eight-out.mp4');
    const rep = join(dir, 'eight.json');
    const r = await upframe(['upscale', eight, '-o', out, '--dedupe', 'off', '--quiet', '--report', rep]);
    expect(r.code, r.stderr).toBe(0);
    expect((await probe(out)).pix_fmt).toBe('yuv420p');
    expect(report(rep).details.depth).toMatchObject({ input: { bitDepth: 8, chroma: '4:2:0' }, frames: { layout: 'rgb24' }, output: { bitDepth: 8, pixelFormat: 'yuv420p' } });
    expect(report(rep).warnings).toEqual([]);
  }, 180_000);
});
