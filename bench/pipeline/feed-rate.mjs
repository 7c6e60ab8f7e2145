// `node bench/pipeline/feed-rate.mjs`: the CPU a GPU run needs around its model, per 1080p frame.
// The real CLI upscales a 1080p clip 2x with a stand-in for the model that costs almost nothing
// (the lanczos example plugin's nearest-neighbour resize, libvips; whole frames, as a GPU backend
// with its own memory budget runs them), so what is left is decoding,
// the pipeline's own work (pipes, copies, ordering) and encoding: the CPU that must keep pace
// with the GPU. Prints CPU-seconds per frame per stage and the cores needed for 30 fps.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { spawnTimed } from './cli-run.mjs';
import { makeClip } from './clips.mjs';
import { median } from './stats.mjs';

const CLI = new URL('../../packages/cli/bin/upframe.js', import.meta.url).pathname;
const { values: v } = parseArgs({ options: { dir: { type: 'string', default: 'bench-out/feed-rate' }, frames: { type: 'string', default: '48' }, reps: { type: 'string', default: '2' } } });
const dir = resolve(v.dir);
mkdirSync(dir, { recursive: true });
const frames = Number(v.frames);
const clip = makeClip(join(dir, 'clips'), 1920, 1080, frames);
const ENCODERS = [
  ['x264 ultrafast crf 18', ['--codec', 'libx264', '--crf', '18', '--preset', 'ultrafast']],
  ['x264 veryfast crf 18', ['--codec', 'libx264', '--crf', '18', '--preset', 'veryfast']],
  ['x264 medium crf 18', ['--codec', 'libx264', '--crf', '18', '--preset', 'medium']],
];
const rows = ENCODERS.map(([label, flags]) => ({ label, flags, runs: [] }));
const loads = [];
for (let rep = 0; rep < Number(v.reps); rep++) {
  for (const row of rows) {
    const output = join(dir, 'out.mkv');
    const report = join(dir, 'report.json');
    const args = [CLI, 'upscale', clip.file, '-o', output, '--plugin', 'upframe-plugin-lanczos', '--backend', 'lanczos', '--model', 'nearest-x2', '--tile', 'off', '--dedupe', 'off', ...row.flags, '--overwrite', '--quiet', '--report', report];
    const { seconds } = await spawnTimed(process.execPath, args);
    const r = JSON.parse(readFileSync(report, 'utf8'));
    rmSync(output, { force: true });
    if (r.frames.written !== frames) throw new Error(`${row.label}: wrote ${r.frames.written} of ${frames} frames`);
    row.runs.push({ wallSeconds: seconds, cpu: r.details.cpuSeconds, batches: r.details.batches });
    loads.push(loadavg()[0]);
    process.stderr.write(`  rep ${rep + 1} ${row.label}: ${seconds.toFixed(1)} s (load ${loads.at(-1).toFixed(2)})\n`);
  }
}
const per = (x) => (x / frames).toFixed(3);
const lines = [
  `#### CPU per 1080p frame around the model (1920x1080 → 3840x2160, ${frames} frames, stand-in model: nearest-neighbour; medians of ${v.reps}; load ${Math.min(...loads).toFixed(2)}–${Math.max(...loads).toFixed(2)})`,
  '',
  '| encoder | wall s | decode (ffmpeg) | Node process (pipeline + stand-in) | encode (ffmpeg) | join + probes | total CPU-s per frame | cores for 30 fps |',
  '| --- | --- | --- | --- | --- | --- | --- | --- |',
];
for (const row of rows) {
  const m = (k) => median(row.runs.map((x) => x.cpu[k] ?? 0));
  const total = m('process') + m('decode') + m('encode') + m('join') + m('setup');
  lines.push(`| ${row.label} | ${median(row.runs.map((x) => x.wallSeconds)).toFixed(1)} | ${per(m('decode'))} | ${per(m('process'))} | ${per(m('encode'))} | ${per(m('join') + m('setup'))} | ${per(total)} | ${((30 * total) / frames).toFixed(1)} |`);
}
process.stdout.write(`${lines.join('\n')}\n`);
