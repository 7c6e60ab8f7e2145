// `npm run bench:resume`: what do journaled parts cost, and what does a resume save?
// 1. Chunking overhead: the same clip unchunked (--part-seconds 0), with the default part length,
//    and with short parts (a worst case), median wall time of `reps` runs each.
// 2. Resume: a run killed (SIGKILL) once ~60% of the frames are in committed parts, then the same
//    command again: (time of the resumed run) ÷ (uninterrupted run).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { makeClip } from '../pipeline/clips.mjs';
import { spawnTimed } from '../pipeline/cli-run.mjs';

const CLI = new URL('../../packages/cli/bin/upframe.js', import.meta.url).pathname;
const { values: v } = parseArgs({
  options: {
    out: { type: 'string', default: 'bench-out/resume.md' },
    frames: { type: 'string', default: '240' },
    size: { type: 'string', default: '256x144' },
    reps: { type: 'string', default: '2' },
    'short-parts': { type: 'string', default: '1' },
    'kill-at': { type: 'string', default: '0.6' },
  },
});
const out = resolve(v.out);
const work = join(dirname(out), 'resume-work');
mkdirSync(work, { recursive: true });
const log = (s) => process.stderr.write(`${s}\n`);
const [width, height] = v.size.split('x').map(Number);
const clip = makeClip(join(work, 'clips'), width, height, Number(v.frames));
const reps = Number(v.reps);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const BASE = ['--dedupe', 'off', '--codec', 'libx264', '--preset', 'ultrafast', '--no-config', '--quiet'];

function args(output, partSeconds, report) {
  return [CLI, 'upscale', clip.file, '-o', output, ...BASE, '--part-seconds', String(partSeconds), '--report', report];
}

async function timed(name, partSeconds) {
  const output = join(work, `${name}.mp4`);
  const report = join(work, `${name}.json`);
  rmSync(output, { force: true });
  rmSync(`${output}.upframe`, { recursive: true, force: true });
  const { seconds } = await spawnTimed(process.execPath, args(output, partSeconds, report));
  const r = JSON.parse(readFileSync(report, 'utf8'));
  if (r.frames.written !== clip.frames) throw new Error(`${name}: wrote ${r.frames.written} of ${clip.frames} frames`);
  return { seconds, report: r };
}

/** Starts the run and SIGKILLs it once `fraction` of the frames are in committed parts. */
function killAt(output, partSeconds, fraction) {
  const journal = join(`${output}.upframe`, 'journal.json');
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args(output, partSeconds, join(work, 'killed.json')), { stdio: 'ignore' });
    let frames = 0;
    const timer = setInterval(() => {
      try {
        const parts = JSON.parse(readFileSync(journal, 'utf8')).parts;
        frames = parts.reduce((n, p) => n + p.frames, 0);
      } catch {
        return;
      }
      if (frames >= fraction * clip.frames) child.kill('SIGKILL');
    }, 20);
    child.on('error', fail);
    child.on('close', (code, signal) => {
      clearInterval(timer);
      if (signal !== 'SIGKILL') fail(new Error(`the run ended (${code}) before ${fraction * 100}% of its frames were committed`));
      else done(frames);
    });
  });
}

const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
log(`clip ${clip.frames} frames ${clip.width}x${clip.height}; load ${load()}`);
const rows = { unchunked: [], default: [], short: [] };
for (let r = 0; r < reps; r++) {
  for (const [key, seconds] of [['unchunked', 0], ['default', undefined], ['short', Number(v['short-parts'])]]) {
    const t = await timed(`${key}-${r}`, seconds ?? 60);
    rows[key].push(t.seconds);
    log(`  ${key} rep ${r}: ${t.seconds.toFixed(2)} s`);
  }
}
const whole = median(rows.unchunked);
const output = join(work, 'resumed.mp4');
rmSync(output, { force: true });
rmSync(`${output}.upframe`, { recursive: true, force: true });
const partSeconds = Number(v['short-parts']);
const killedAtFrames = await killAt(output, partSeconds, Number(v['kill-at']));
log(`  killed with ${killedAtFrames} of ${clip.frames} frames committed`);
const resumed = await spawnTimed(process.execPath, args(output, partSeconds, join(work, 'resumed.json')));
const rr = JSON.parse(readFileSync(join(work, 'resumed.json'), 'utf8'));
if (rr.frames.written !== clip.frames || !existsSync(output)) throw new Error('the resumed run did not finish the output');
log('part cost without inference (part-cost.mjs)…');
const cost = JSON.parse((await spawnTimed(process.execPath, [new URL('./part-cost.mjs', import.meta.url).pathname, '--work', work])).stdout.trim().split('\n').at(-1));
// Wall seconds per second of video in the one-piece run: what one part of N seconds costs to compute.
const wallPerVideoSecond = whole / (clip.frames / 24);
const data = {
  partCost: { ...cost, wallPerVideoSecond, overheadAtDefault: cost.perBoundarySeconds / (60 * wallPerVideoSecond) },
  clip: { frames: clip.frames, width: clip.width, height: clip.height, fps: 24 },
  loadAfter: load(),
  reps,
  seconds: rows,
  ratios: { default: median(rows.default) / whole, short: median(rows.short) / whole },
  resume: { killedAtFrames, resumedFrames: rr.frames.resumed, computedFrames: rr.frames.computed, seconds: resumed.seconds, ratio: resumed.seconds / whole },
};
const md = [
  `### Resumable output (\`npm run bench:resume\`)`,
  '',
  `Clip: ${clip.frames} frames ${clip.width}x${clip.height} at 24 fps (${(clip.frames / 24).toFixed(1)} s), default backend and model, x264 ultrafast, dedupe off; median of ${reps} runs; load average after: ${data.loadAfter}.`,
  '',
  '| run | wall (s) | ÷ unchunked |',
  '| --- | ---: | ---: |',
  `| one piece (\`--part-seconds 0\`) | ${whole.toFixed(2)} | 1.000 |`,
  `| default parts (60 s: one part for this clip) | ${median(rows.default).toFixed(2)} | ${data.ratios.default.toFixed(3)} |`,
  `| ${partSeconds} s parts (${Math.ceil(clip.frames / (24 * partSeconds))} parts) | ${median(rows.short).toFixed(2)} | ${data.ratios.short.toFixed(3)} |`,
  `| resumed after SIGKILL at ${killedAtFrames}/${clip.frames} frames (${partSeconds} s parts) | ${resumed.seconds.toFixed(2)} | ${data.resume.ratio.toFixed(3)} |`,
  '',
  `Cost of one part boundary without inference (\`bench/resume/part-cost.mjs\`: ${cost.frames} frames ${cost.size} through the video sink, one piece vs ${cost.part} s parts, best of ${cost.whole.length} alternating runs): ${cost.perBoundarySeconds.toFixed(3)} s. At the ${wallPerVideoSecond.toFixed(2)} s of wall time per second of video of the one-piece run above, a 60 s part costs ${(data.partCost.overheadAtDefault * 100).toFixed(2)}% extra (ratio ${(1 + data.partCost.overheadAtDefault).toFixed(4)}).`,
].join('\n');
process.stdout.write(`${md}\n`);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${md}\n`);
writeFileSync(out.replace(/\.md$/, '.json'), JSON.stringify(data, null, 2));
log(`wrote ${out}`);
