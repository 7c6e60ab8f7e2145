// `npm run bench:cluster`: what does distributing a job cost, and how does it scale on this machine?
// 1. Local: `upframe upscale` with --threads 1 (the default model on the CPU backend).
// 2. Cluster, 1 worker × 1 thread: wall time from `cluster submit` until `cluster wait` returns
//    (workers are started first and stay up, as they would in use).
// 3. Cluster, 2 workers × 1 thread, same clip and settings.
// Prints throughput ratio (2) ÷ (3), parallel efficiency (ratio ÷ 2) and overhead (2) ÷ (1), with
// `uptime` before and after: on a shared machine the load average says how far to trust them.
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
    frames: { type: 'string', default: '240' },
    size: { type: 'string', default: '256x144' },
    'part-seconds': { type: 'string', default: '2' },
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
        if (err.includes('ready ')) done(child);
      });
      child.on('exit', (code) => fail(new Error(`worker exited ${code}: ${err}`)));
    })),
  );
}

async function clusterRun(n) {
  const workers = await startWorkers(n);
  try {
    const output = join(work, `cluster-${n}.mp4`);
    return await timed(async () => {
      const job = (await run(['cluster', 'submit', clip, '-o', output, '--redis', url, '--part-seconds', v['part-seconds'], ...SETTINGS])).trim();
      await run(['cluster', 'wait', job, '--redis', url, '--quiet']);
    });
  } finally {
    for (const w of workers) w.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
  }
}

try {
  const before = uptime();
  log(`uptime before: ${before}`);
  // A warm-up, so the model file and ffmpeg are in the page cache for every measured run alike.
  await run(['upscale', clip, '-o', join(work, 'warm.mp4'), '--threads', '1', '--quiet', ...SETTINGS]);
  const local = await timed(() => run(['upscale', clip, '-o', join(work, 'local.mp4'), '--threads', '1', '--quiet', ...SETTINGS]));
  log(`local 1 thread: ${local.toFixed(2)} s`);
  const one = await clusterRun(1);
  log(`cluster 1 worker × 1 thread: ${one.toFixed(2)} s`);
  const two = await clusterRun(2);
  log(`cluster 2 workers × 1 thread: ${two.toFixed(2)} s`);
  const after = uptime();
  const ratio = one / two;
  const lines = [
    `clip: ${width}x${height}, ${frames} frames at 24 fps, keyframe every 24; parts of ${v['part-seconds']} s; ${v.model ?? 'default model'}, CPU, --dedupe off, libx264 ultrafast`,
    `local upscale, --threads 1: ${local.toFixed(2)} s (${(frames / local).toFixed(1)} fps)`,
    `cluster, 1 worker × 1 thread: ${one.toFixed(2)} s (${(frames / one).toFixed(1)} fps)`,
    `cluster, 2 workers × 1 thread: ${two.toFixed(2)} s (${(frames / two).toFixed(1)} fps)`,
    `throughput ratio 2 workers ÷ 1 worker: ${ratio.toFixed(2)}; parallel efficiency: ${((ratio / 2) * 100).toFixed(0)} %`,
    `overhead, cluster 1 worker ÷ local: ${(one / local).toFixed(2)}`,
    `uptime before: ${before}`,
    `uptime after:  ${after}`,
  ];
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${lines.map((l) => `- ${l}`).join('\n')}\n`);
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  redis.kill('SIGTERM');
}
