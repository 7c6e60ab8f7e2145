// Decision speed at 1080p, where per-frame cost matters (the accuracy clips are 160×90).
import { join } from 'node:path';
import { runFfmpeg } from '../src/test-support/ffmpeg-exec.mjs';
import { runStrategy } from './evaluate.mjs';

const W = 1920;
const H = 1080;
const FRAMES = 24;

const ENCODINGS = [
  { clip: 'crf23', args: ['-c:v', 'libx264', '-crf', '23', '-pix_fmt', 'yuv420p'] },
  // Lossless, so `exact` finds its duplicates and `verify` really compares bytes.
  { clip: 'lossless', args: ['-c:v', 'libx264', '-qp', '0', '-pix_fmt', 'yuv444p'] },
];

export const SPEED_RUNS = [
  { name: 'exact', options: {} },
  { name: 'exact', options: { verify: true } },
  { name: 'exact', options: { hash: 'md5' } },
  { name: 'near', options: {} },
];

async function decode1080p(dir, encoding) {
  const file = join(dir, `speed-1080p-${encoding.clip}.mkv`);
  await runFfmpeg(['-f', 'lavfi', '-i', `testsrc2=s=${W}x${H}:r=12:d=3,fps=24`, '-frames:v', String(FRAMES),
    ...encoding.args, '-y', file]);
  const { stdout } = await runFfmpeg(['-i', file, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-']);
  const bytes = W * H * 3;
  const frames = Array.from({ length: FRAMES }, (_, i) => new Uint8Array(stdout.buffer, stdout.byteOffset + i * bytes, bytes));
  return { file, width: W, height: H, frames };
}

export async function measureSpeed(container, dir) {
  const results = [];
  for (const encoding of ENCODINGS) {
    const clip = await decode1080p(dir, encoding);
    for (const run of SPEED_RUNS) {
      // One warm-up pass so the JIT has compiled the hot loops; then the best of three.
      await runStrategy(container, run.name, run.options, clip);
      const passes = [];
      for (let k = 0; k < 3; k++) passes.push(await runStrategy(container, run.name, run.options, clip));
      const best = passes.reduce((a, b) => (b.msPerFrame < a.msPerFrame ? b : a));
      results.push({ clip: encoding.clip, ...run, msPerFrame: best.msPerFrame, duplicates: best.stats.duplicates, held: FRAMES / 2 });
    }
  }
  return results;
}
