// Finds and runs ffmpeg for the ground-truth clips shared by the tests and the accuracy bench.
// Plain ESM (not TypeScript) so bench/accuracy.mjs can use it under bare Node against dist/.
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function isExecutable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** FFMPEG_PATH, else the first ffmpeg on PATH, else the copy bundled by @ffmpeg-installer. */
export function resolveFfmpeg(env = process.env) {
  if (env.FFMPEG_PATH) {
    if (!isExecutable(env.FFMPEG_PATH)) throw new Error(`FFMPEG_PATH=${env.FFMPEG_PATH} is not an executable file`);
    return env.FFMPEG_PATH;
  }
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, 'ffmpeg');
    if (isExecutable(candidate)) return candidate;
  }
  // Walk up from here to the workspace's node_modules rather than require(): dedupe does not
  // depend on @ffmpeg-installer, the monorepo root does.
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const bundled = join(dir, 'node_modules', '@ffmpeg-installer', `${process.platform}-${process.arch}`, 'ffmpeg');
    if (existsSync(bundled)) return bundled;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error('ffmpeg not found: set FFMPEG_PATH, put ffmpeg on PATH, or install @ffmpeg-installer/ffmpeg');
}

/** Runs ffmpeg to completion; resolves with stdout as one Buffer and stderr as text. */
export function runFfmpeg(args, ffmpeg = resolveFfmpeg()) {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpeg, ['-hide_banner', '-nostdin', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (chunk) => out.push(chunk));
    child.stderr.on('data', (chunk) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const stderr = Buffer.concat(err).toString('utf8');
      if (code === 0) resolve({ stdout: Buffer.concat(out), stderr });
      else reject(new Error(`ffmpeg ${args.join(' ')} exited with ${code}:\n${stderr.slice(-2000)}`));
    });
  });
}
