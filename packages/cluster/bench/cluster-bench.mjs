// `npm run bench:cluster`: what does distributing a job cost, and how does it scale on this machine?
// 1. Local: `upframe upscale` with --threads 1 (the default model on the CPU backend).
// 2. Cluster, 1 worker × 1 thread: wall time from `cluster submit` until `cluster wait` returns
//    (workers are started first and stay up, as they would in use, and have each run a part of a
//    short warm-up job, so the model is loaded as in a worker that has been taking parts; `--cold`
//    times workers whose first part this is).
// 3. Cluster, 2 workers × 1 thread, same clip and settings.
// 4. The machine's own ceiling for two processes: two local runs side by side against one alone
//    (each process also needs a little CPU beside its inference thread, and two compete for the
//    memory bandwidth and shared cache): no distribution of the work can beat that ratio here.
// `--reps N` repeats 1–4 in turn, N times, and reports the median of each (a 2-vCPU virtual machine
// varies by several percent from one run to the next). Prints throughput ratio (2) ÷ (3), parallel
// efficiency (ratio ÷ 2), overhead (2) ÷ (1) and the ceiling, with `uptime` before and after: on a
// shared machine the load average says how far to trust them.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const CLI = new URL('../../cli/bin/upframe.js', import.meta.url).pathname;
const PHOTO = new URL('../../../node_modules/@upscalerjs/esrgan-slim/assets/samples/4x/result.png', import.meta.url).pathname;
const { values: v } = parseArgs({
  options: {
    out: { type: 'string', default: 'bench-out/cluster.md' },
    frames: { type: 'string', default: '480' },
    size: { type: 'string', default: '256x144' },
    'part-seconds': { type: 'string', default: '5' },
    reps: { type: 'string', default: '1' },
    cold: { type: 'boolean', default: false },
    // A heavier model makes inference a larger share of each frame's CPU time (see docs/benchmarks.md).
    model: { type: 'string' },
  },
});
const out = resolve(v.out);
const work = join(dirname(out), 'cluster-work');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const log = (s) => process.stderr.write(`${s}\n`);
const uptime = () => execFileSync('uptime', { encoding: 'utf8' }).trim();
const SETTINGS = ['--dedupe', 'off', '--codec', 'libx264', '--preset', 'ultrafast', '--no-config', ...(v.model ? ['--model', v.model] : [])];

// A pan over a photo (as bench/pipeline's clips), with a keyframe every second so parts can start there.
const [width, height] = v.size.split('x').map(Number);
const frames = Number(v.frames);
const clip = join(work, `pan-${width}x${height}-${frames}.mp4`);
const zoom = `zoompan=z='1.2+0.3*sin(on/40)':x='(iw-iw/zoom)*(0.5+0.5*sin(on/30))':y='(ih-ih/zoom)*(0.5+0.5*cos(on/45))':d=${frames}:s=${width}x${height}:fps=24`;
execFileSync('ffmpeg', ['-y', '-hide_banner', '-loglevel', 'error', '-i', PHOTO, '-vf', `format=rgb24,${zoom}`, '-frames:v', String(frames), '-c:v', 'libx264', '-crf', '12', '-g', '24', '-pix_fmt', 'yuv420p', clip]);

function run(args, env = {}) {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => (code === 0 ? done(stdout) : fail(new Error(`upframe ${args.join(' ')} exited ${code}:\n${stderr.slice(-2000)}`))));
  });
}

async function timed(fn) {
  const t0 = performance.now();
  await fn();
  return (performance.now() - t0) / 1000;
}

const port = await new Promise((done) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => done(p));
  });
});
const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', work, '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
const url = `redis://127.0.0.1:${port}`;
await new Promise((r) => setTimeout(r, 500));

function startWorkers(n) {
  return Promise.all(
    Array.from({ length: n }, (_, i) => new Promise((done, fail) => {
      const child = spawn(process.execPath, [CLI, 'worker', '--redis', url, '--root', work, '--threads', '1', '--no-config', '--name', `bench-${i + 1}`], { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      child.stderr.on('data', (d) => {
        err += d;
        if (process.env.BENCH_TRACE) for (const line of String(d).split('\n').filter(Boolean)) log(`  ${((performance.now() - traceStart) / 1000).toFixed(2)} w${i + 1} ${line}`);
        if (err.includes('ready ')) done(child);
      });
      child.on('exit', (code) => fail(new Error(`worker exited ${code}: ${err}`)));
    })),
  );
}

let traceStart = performance.now();
// A 4-second warm-up clip in 1-second parts: every worker takes at least one while the others are busy.
const warmClip = join(work, 'warm-up.mp4');
execFileSync('ffmpeg', ['-y', '-hide_banner', '-loglevel', 'error', '-i', clip, '-frames:v', String(48 * 2), '-c', 'copy', warmClip]);

async function clusterRun(n) {
  const workers = await startWorkers(n);
  try {
    if (!v.cold) {
      const job = (await run(['cluster', 'submit', warmClip, '-o', join(work, 'warm-up-out.mp4'), '--overwrite', '--redis', url, '--part-seconds', '1', ...SETTINGS])).trim();
      await run(['cluster', 'wait', job, '--redis', url, '--quiet']);
    }
    const output = join(work, `cluster-${n}.mp4`);
    traceStart = performance.now();
    return await timed(async () => {
      const job = (await run(['cluster', 'submit', clip, '-o', output, '--overwrite', '--redis', url, '--part-seconds', v['part-seconds'], ...SETTINGS])).trim();
      await run(['cluster', 'wait', job, '--redis', url, '--quiet']);
    });
  } finally {
    for (const w of workers) w.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const localRun = (name) => run(['upscale', clip, '-o', join(work, `${name}.mp4`), '--overwrite', '--threads', '1', '--quiet', ...SETTINGS]);

try {
  const before = uptime();
  log(`uptime before: ${before}`);
  // A warm-up, so the model file and ffmpeg are in the page cache for every measured run alike.
  await localRun('warm');
  const reps = Number(v.reps);
  const r = { local: [], one: [], two: [], pair: [] };
  for (let i = 0; i < reps; i++) {
    r.local.push(await timed(() => localRun('local')));
    log(`local 1 thread: ${r.local.at(-1).toFixed(2)} s`);
    r.one.push(await clusterRun(1));
    log(`cluster 1 worker × 1 thread: ${r.one.at(-1).toFixed(2)} s`);
    r.two.push(await clusterRun(2));
    log(`cluster 2 workers × 1 thread: ${r.two.at(-1).toFixed(2)} s`);
    r.pair.push(await timed(() => Promise.all([localRun('pair-a'), localRun('pair-b')])));
    log(`two local runs side by side: ${r.pair.at(-1).toFixed(2)} s`);
  }
  const after = uptime();
  const [local, one, two, pair] = [median(r.local), median(r.one), median(r.two), median(r.pair)];
  const ratio = one / two;
  const ceiling = (2 * local) / pair;
  const each = (xs) => (xs.length > 1 ? ` [${xs.map((x) => x.toFixed(2)).join(', ')}]` : '');
  const lines = [
    `clip: ${width}x${height}, ${frames} frames at 24 fps, keyframe every 24; parts of ${v['part-seconds']} s; ${v.model ?? 'default model'}, CPU, --dedupe off, libx264 ultrafast; ${v.cold ? 'workers cold (their first part)' : 'workers warm (each ran a part before)'}; ${reps > 1 ? `median of ${reps} runs each, taken in turn` : 'one run each'}`,
    `local upscale, --threads 1: ${local.toFixed(2)} s (${(frames / local).toFixed(1)} fps)${each(r.local)}`,
    `cluster, 1 worker × 1 thread: ${one.toFixed(2)} s (${(frames / one).toFixed(1)} fps)${each(r.one)}`,
    `cluster, 2 workers × 1 thread: ${two.toFixed(2)} s (${(frames / two).toFixed(1)} fps)${each(r.two)}`,
    `throughput ratio 2 workers ÷ 1 worker: ${ratio.toFixed(2)}; parallel efficiency: ${((ratio / 2) * 100).toFixed(0)} %${reps > 1 ? ` (per run: ${r.one.map((x, i) => (x / r.two[i]).toFixed(2)).join(', ')})` : ''}`,
    `overhead, cluster 1 worker ÷ local: ${(one / local).toFixed(2)}`,
    `machine ceiling, two local runs side by side: ${pair.toFixed(2)} s for twice the frames, 2 × local ÷ that = ${ceiling.toFixed(2)}${each(r.pair)}`,
    `uptime before: ${before}`,
    `uptime after:  ${after}`,
  ];
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${lines.map((l) => `- ${l}`).join('\n')}\n`);
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  redis.kill('SIGTERM');
}
