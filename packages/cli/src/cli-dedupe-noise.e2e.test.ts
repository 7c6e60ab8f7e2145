import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeRgbFrames, ffmpeg, REPO, tempDir, upframe } from './test-support/cli-harness.js';

// Fidelity of `--dedupe near` on a noisy lossy clip, judged where it matters: every output frame
// of a near run against the same frame of an off run, which is that frame's own inference.

const dir = tempDir();
const SAMPLE = join(REPO, 'node_modules/@upscalerjs/esrgan-slim/assets/samples/4x/result.png');
const FRAMES = 48;
const W = 96;
const H = 54;
const LOSSLESS_OUT = ['--codec', 'libx264rgb', '--crf', '0', '--preset', 'ultrafast', '--pix-fmt', 'rgb24'];
const clip = join(dir, 'photo-threes-noise-crf24.mkv');
const grainClip = join(dir, 'photo-twos-grain-crf28.mkv');

/** A slow pan and zoom over a photograph, drawn on threes (or twos), with temporal noise (or film grain). */
function noisyDrawing(every: number, distortion: string): string {
  const d = `floor(on/${every})`;
  return `movie=${SAMPLE},loop=loop=${FRAMES - 1}:size=1:start=0,format=rgb24,crop=512:288:0:112,` +
    `zoompan=z='1.5+0.002*${d}':x='20+${d}':y=10:d=1:s=${W}x${H}:fps=24,format=yuv420p,${distortion}`;
}

// Grain as the dedupe benchmark makes it: blurred strong noise blended over the picture, new every frame.
const GRAIN = 'split[a][b];[b]noise=c0s=40:allf=t,gblur=sigma=1.2[g];[a][g]blend=all_mode=average';

beforeAll(async () => {
  const encode = (graph: string, crf: string, out: string) => ffmpeg(['-f', 'lavfi', '-i', graph, '-frames:v', String(FRAMES), '-c:v', 'libx264', '-crf', crf, '-pix_fmt', 'yuv420p', '-threads', '1', out]);
  await encode(noisyDrawing(3, 'noise=alls=6:allf=t'), '24', clip);
  // The dedupe benchmark's twos-crf28-grain: testsrc2 drawn at 12 fps, shown at 24, grain, crf 28.
  await ffmpeg(['-f', 'lavfi', '-i', `testsrc2=s=160x90:r=12:d=4,fps=24,format=yuv420p,${GRAIN}`, '-frames:v', '96', '-c:v', 'libx264', '-crf', '28', '-pix_fmt', 'yuv420p', '-threads', '1', grainClip]);
});

async function upscale(name: string, dedupe: readonly string[], input = clip, [w, h] = [W, H]) {
  const out = join(dir, `${name}.mkv`);
  const report = join(dir, `${name}.json`);
  const r = await upframe(['upscale', input, '-o', out, '--dedupe', ...dedupe, '--report', report, '--quiet', ...LOSSLESS_OUT]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return { frames: await decodeRgbFrames(out, w * 2, h * 2), report: JSON.parse(readFileSync(report, 'utf8')) };
}

function psnr(a: Buffer, b: Buffer): number {
  let sum = 0;
  for (let k = 0; k < a.length; k++) sum += (a[k] - b[k]) ** 2;
  return sum === 0 ? Infinity : 10 * Math.log10((255 * 255 * a.length) / sum);
}

const minPsnr = (a: Buffer[], b: Buffer[]) => Math.min(...a.map((f, i) => psnr(f, b[i])));

describe('upframe upscale --dedupe near on a noisy lossy clip', () => {
  it('keeps every reused output within 40 dB of its own inference, where the fixed rules did not', async () => {
    const off = await upscale('off', ['off']);
    const near = await upscale('near', ['near']);
    expect(off.frames).toHaveLength(FRAMES);
    expect(near.frames).toHaveLength(FRAMES);
    // 32 of the 48 frames are held drawings; most must still be reused.
    expect(near.report.frames.duplicates).toBeGreaterThanOrEqual(24);
    expect(minPsnr(off.frames, near.frames)).toBeGreaterThanOrEqual(40);
    expect(near.report.details.dedupe.reasons.fidelity).toBeGreaterThanOrEqual(1);

    // The same rules without the noise lift and the fidelity check reuse noisy frames whose output is visibly off.
    const fixed = await upscale('fixed', ['near', '--dedupe-opt', 'psnr=0', '--dedupe-opt', 'hiNoise=0', '--dedupe-opt', 'dcNoise=0']);
    expect(minPsnr(off.frames, fixed.frames)).toBeLessThan(40);
  });

  it("judges grainy held frames by the run's model: more of them reused, every reused output still within 40 dB", async () => {
    const size: [number, number] = [160, 90];
    const off = await upscale('grain-off', ['off'], grainClip, size);
    const near = await upscale('grain-near', ['near'], grainClip, size);
    const floorOnly = await upscale('grain-floor-only', ['near', '--dedupe-opt', 'outputSamples=0'], grainClip, size);
    // 48 of the 96 frames are held drawings (drawn on twos).
    const check = near.report.details.dedupe.outputCheck;
    expect(check.samples).toBeGreaterThanOrEqual(1);
    expect(check.liftDb).toBeGreaterThan(0);
    expect(near.report.frames.duplicates).toBeGreaterThan(floorOnly.report.frames.duplicates);
    expect(near.report.frames.duplicates).toBeGreaterThanOrEqual(Math.ceil(0.95 * 48));
    expect(near.report.frames.duplicates).toBeLessThanOrEqual(48);
    expect(minPsnr(off.frames, near.frames)).toBeGreaterThanOrEqual(40);
    expect(minPsnr(off.frames, floorOnly.frames)).toBeGreaterThanOrEqual(40);
  });
});
