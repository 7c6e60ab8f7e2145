import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { pngClaimingSize } from './test-support/crafted-png.js';
import { ffmpeg, listDir, tempDir, upframe } from './test-support/cli-harness.js';

const shared = tempDir();
const long = join(shared, 'long.mp4');

async function frames(dir: string, count: number): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (let n = 1; n <= count; n++) {
    await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 40 * n, g: 90, b: 160 } } }).png().toFile(join(dir, `f${String(n).padStart(4, '0')}.png`));
  }
}

beforeAll(async () => {
  // Long enough (~10 s of work) to act on the output while the run is still going.
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=128x96:rate=24:duration=6', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', long]);
});

describe('[safety] outputs never destroy user data', () => {
  it('refuses an output folder that contains the input, even with --overwrite, and deletes nothing', async () => {
    const proj = tempDir();
    await frames(join(proj, 'frames'), 3);
    writeFileSync(join(proj, 'notes.txt'), 'mine');
    const r = await upframe(['upscale', join(proj, 'frames'), '-o', proj, '--overwrite']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/contains the input/);
    expect(listDir(proj)).toEqual(['frames', 'notes.txt']);
    expect(listDir(join(proj, 'frames'))).toEqual(['f0001.png', 'f0002.png', 'f0003.png']);
  });

  it('refuses the current folder as the output', async () => {
    const cwd = tempDir();
    writeFileSync(join(cwd, 'keep.txt'), 'mine');
    const r = await upframe(['upscale', long, '-o', '.', '--overwrite'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is the current folder/);
    expect(listDir(cwd)).toEqual(['keep.txt']);
  });

  it('refuses a folder of unrelated files unless --allow-other-files, and then keeps them', async () => {
    const work = tempDir();
    await frames(join(work, 'in'), 2);
    const out = join(work, 'docs');
    mkdirSync(join(out, 'sub'), { recursive: true });
    writeFileSync(join(out, 'thesis.docx'), 'years of work');
    writeFileSync(join(out, 'sub', 'photo.jpg'), 'holiday');
    const refused = await upframe(['upscale', join(work, 'in'), '-o', out, '--overwrite', '--dedupe', 'off']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/not frames \(.*thesis\.docx/);
    expect(refused.stderr).toMatch(/--allow-other-files/);
    const allowed = await upframe(['upscale', join(work, 'in'), '-o', out, '--overwrite', '--allow-other-files', '--dedupe', 'off', '--format', 'png']);
    expect(allowed.code).toBe(0);
    expect(listDir(out)).toEqual(['f0001.png', 'f0002.png', 'sub', 'thesis.docx']);
    expect(readFileSync(join(out, 'thesis.docx'), 'utf8')).toBe('years of work');
    expect(readFileSync(join(out, 'sub', 'photo.jpg'), 'utf8')).toBe('holiday');
  });

  it('--overwrite on a folder replaces only the frames it writes, says how many, and keeps older ones', async () => {
    const work = tempDir();
    await frames(join(work, 'in'), 2);
    const out = join(work, 'out');
    await frames(out, 3);
    const r = await upframe(['upscale', join(work, 'in'), '-o', out, '--overwrite', '--dedupe', 'off', '--format', 'png']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/replaced 2 existing file\(s\)/);
    expect(r.stderr).toMatch(/left 1 file\(s\) already in .* as they were/);
    expect(listDir(out)).toEqual(['f0001.png', 'f0002.png', 'f0003.png']);
    expect((await sharp(join(out, 'f0001.png')).metadata()).width).toBe(16);
    expect((await sharp(join(out, 'f0003.png')).metadata()).width).toBe(8);
  });

  it('writes the image as a regular file through a private workspace, leaving nothing beside it', async () => {
    const work = tempDir();
    const img = join(work, 'in.png');
    await sharp({ create: { width: 8, height: 8, channels: 3, background: '#336699' } }).png().toFile(img);
    const victim = join(work, 'victim.txt');
    writeFileSync(victim, 'precious');
    const r = await upframe(['upscale', img, '-o', join(work, 'out.png')]);
    expect(r.code).toBe(0);
    expect(lstatSync(join(work, 'out.png')).isFile()).toBe(true);
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    expect(listDir(work)).toEqual(['in.png', 'out.png', 'victim.txt']);
  });

  it('validates stage names for an image as for a video: an unknown --dedupe is a usage error', async () => {
    const work = tempDir();
    const img = join(work, 'in.png');
    await sharp({ create: { width: 8, height: 8, channels: 3, background: '#336699' } }).png().toFile(img);
    const r = await upframe(['upscale', img, '-o', join(work, 'out.png'), '--dedupe', 'bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown dedupe strategy "bogus"; registered: .*near/);
    expect(listDir(work)).toEqual(['in.png']);
  });

  it('refuses an image bomb from its header, before decoding, and --max-pixels raises the limit', async () => {
    const work = tempDir();
    const bomb = join(work, 'bomb.png');
    writeFileSync(bomb, await pngClaimingSize(16000, 16000));
    const r = await upframe(['upscale', bomb, '-o', join(work, 'out.png'), '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/16000×16000 \(256\.0 Mpx\), over the 40\.0 Mpx limit for inputs/);
    expect(r.stderr).toMatch(/--max-pixels 256M/);
    expect(JSON.parse(r.stdout.trim().split('\n').at(-1)!)).toMatchObject({ event: 'error', message: expect.stringMatching(/over the 40\.0 Mpx limit/) });
    expect(listDir(work)).toEqual(['bomb.png']);
    const raised = await upframe(['upscale', bomb, '-o', join(work, 'out.png'), '--max-pixels', '300M']);
    expect(raised.code).toBe(1);
    expect(raised.stderr).not.toMatch(/limit/);
    expect(listDir(work)).toEqual(['bomb.png']);
  });

  it('refuses an upscaled output over 4 × --max-pixels before the model runs', async () => {
    const work = tempDir();
    const big = join(work, 'big.png');
    writeFileSync(big, await pngClaimingSize(4000, 3000));
    const r = await upframe(['upscale', big, '-o', join(work, 'out.png'), '--model', 'esrgan-slim-x4', '--max-pixels', '13M']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/x4 output would be 16000×12000 \(192\.0 Mpx\), over the 52\.0 Mpx limit for outputs/);
  });

  it('a file that appears at the output path during the run is not replaced without --overwrite', async () => {
    const work = tempDir();
    const out = join(work, 'out.mp4');
    const r = await upframe(['upscale', long, '-o', out, '--dedupe', 'off', '--json'], {
      onSpawn: (child) => {
        child.stdout?.on('data', (d: Buffer) => {
          if (String(d).includes('"event":"start"') && !existsSync(out)) writeFileSync(out, 'written by someone else');
        });
      },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/appeared while upframe was running/);
    expect(readFileSync(out, 'utf8')).toBe('written by someone else');
    // The committed parts stay in the journal beside it, so the same command with --overwrite
    // resumes instead of starting over; no temporary workspace is left.
    expect(listDir(work)).toEqual(['out.mp4', 'out.mp4.upframe']);
    expect(readdirSync(join(work, 'out.mp4.upframe')).some((f) => f.startsWith('part-'))).toBe(true);
  });
});
