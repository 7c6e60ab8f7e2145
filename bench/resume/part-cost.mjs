// The fixed cost of one more part, without inference: the same frames through the video sink in
// one piece and in short parts, alternating, best of `reps` (the minimum is the least disturbed by
// other load). Prints JSON: seconds per extra part boundary (encoder restart + fsync + commit).
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { silentLogger } from '@upframe/core';
import { FfmpegSink, FfmpegSource } from '@upframe/io';

const { values: v } = parseArgs({ options: { work: { type: 'string' }, frames: { type: 'string', default: '240' }, size: { type: 'string', default: '512x288' }, reps: { type: 'string', default: '3' }, part: { type: 'string', default: '1' } } });
const [width, height] = v.size.split('x').map(Number);
const frames = Number(v.frames);
mkdirSync(v.work, { recursive: true });
const clip = join(v.work, `testsrc-${v.size}.mp4`);
execFileSync('ffmpeg', ['-y', '-v', 'error', '-f', 'lavfi', '-i', `testsrc2=size=${v.size}:rate=24`, '-frames:v', '2', '-c:v', 'libx264', clip]);
const info = await new FfmpegSource({ input: clip }, silentLogger).open();
const data = Array.from({ length: 24 }, (_, k) => {
  const d = new Uint8Array(width * height * 3);
  for (let i = 0; i < d.length; i++) d[i] = (i * 7 + k * 31 + ((i / (width * 3)) | 0) * 3) & 255;
  return d;
});

async function once(partSeconds) {
  const output = join(v.work, `part-cost-${partSeconds}.mp4`);
  rmSync(output, { force: true });
  rmSync(`${output}.upframe`, { recursive: true, force: true });
  const sink = new FfmpegSink({ output, extra: { partSeconds, preset: 'ultrafast' } }, silentLogger);
  const t0 = performance.now();
  await sink.open({ source: { ...info, frameCount: frames }, width, height, layout: 'rgb24' });
  for (let i = 0; i < frames; i++) await sink.write({ index: i, pts: i, timeBase: { num: 1, den: 24 }, width, height, layout: 'rgb24', data: data[i % 24] });
  await sink.close();
  await sink.dispose();
  return (performance.now() - t0) / 1000;
}

const part = Number(v.part);
const whole = [];
const parted = [];
for (let r = 0; r < Number(v.reps); r++) {
  whole.push(await once(0));
  parted.push(await once(part));
}
const boundaries = Math.ceil(frames / (24 * part)) - 1;
const best = (xs) => Math.min(...xs);
process.stdout.write(`${JSON.stringify({ frames, size: v.size, part, boundaries, whole, parted, perBoundarySeconds: (best(parted) - best(whole)) / boundaries })}\n`);
