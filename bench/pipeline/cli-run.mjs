// Runs the real CLI as a child process and returns its wall time and report.
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const CLI = new URL('../../packages/cli/bin/upframe.js', import.meta.url).pathname;

/** The encoder every comparison uses: lossless and fast, so encoding cost stays small and equal. */
export const ENCODER = ['--codec', 'libx264', '--crf', '0', '--preset', 'ultrafast'];

export function spawnTimed(cmd, args, env = {}) {
  return new Promise((done, fail) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', fail);
    child.on('close', (code) => {
      const seconds = (performance.now() - t0) / 1000;
      if (code !== 0) fail(new Error(`${cmd} ${args.join(' ')} exited ${code}:\n${err.slice(-2000)}`));
      else done({ seconds, stdout: out, stderr: err });
    });
  });
}

/** `upframe upscale clip → work/name.mkv` with dedupe off; `flags` and `env` vary the knobs. */
export async function runCli(clip, work, name, flags = [], env = {}, encoder = ENCODER) {
  const output = join(work, `${name}.mkv`);
  const report = join(work, `${name}.json`);
  const args = [CLI, 'upscale', clip.file, '-o', output, '--dedupe', 'off', ...encoder, '--overwrite', '--quiet', '--report', report, ...flags];
  const { seconds } = await spawnTimed(process.execPath, args, env);
  const r = JSON.parse(readFileSync(report, 'utf8'));
  rmSync(output, { force: true });
  if (r.frames.written !== clip.frames) throw new Error(`${name}: wrote ${r.frames.written} of ${clip.frames} frames`);
  return {
    wallSeconds: seconds,
    pipelineSeconds: r.timings.totalSeconds,
    fps: clip.frames / seconds,
    peakRssMb: r.details.peakRssMb,
    plan: r.details.plan,
    cpu: r.details.cpuSeconds,
    batches: r.details.batches,
  };
}

/** Model-only time for the same frames, batch and threads, in its own process. */
export async function runModelOnly(clip, batch, env = {}) {
  const script = new URL('./model-only.mjs', import.meta.url).pathname;
  const { stdout } = await spawnTimed(process.execPath, [script, '--input', clip.file, '--size', `${clip.width}x${clip.height}`, '--batch', String(batch)], env);
  return JSON.parse(stdout.trim().split('\n').at(-1));
}
