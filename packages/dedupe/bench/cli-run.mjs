// Runs the built `upframe` CLI as a user would and times it from spawn to exit.
import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../cli/bin/upframe.js', import.meta.url));

/**
 * Same model, backend and encoder for every strategy. The output is lossless RGB (x264 at
 * qp 0 in RGB, ultrafast), so the fidelity comparison sees only what dedupe changed, and the
 * encoder costs little next to inference.
 */
export const RUN_ARGS = ['--backend', 'onnx', '--model', 'esrgan-slim-x2', '--codec', 'libx264rgb', '--crf', '0',
  '--preset', 'ultrafast', '--pix-fmt', 'rgb24', '--overwrite', '--quiet'];

/**
 * One `upframe upscale` run. The dedupe decision cache is cleared first, so every run pays for
 * its own duplicate detection (a second run of a file would otherwise replay the decisions).
 */
export async function upscale({ input, output, dedupe, cacheDir }) {
  const report = `${output}.report.json`;
  await rm(join(cacheDir, 'dedupe'), { recursive: true, force: true });
  const args = [CLI, 'upscale', input, '-o', output, '--dedupe', dedupe, '--report', report, ...RUN_ARGS];
  const started = performance.now();
  const { code, stderr } = await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, UPFRAME_CACHE_DIR: cacheDir } });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (exit) => resolve({ code: exit, stderr: err }));
  });
  const wallSeconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`upframe ${args.slice(1).join(' ')} exited with ${code}:\n${stderr}`);
  const json = JSON.parse(await readFile(report, 'utf8'));
  return { wallSeconds, pipelineSeconds: json.timings.totalSeconds, frames: json.frames, stages: json.timings.stages, dedupe: json.details?.dedupe };
}
