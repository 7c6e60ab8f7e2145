#!/usr/bin/env node
// `npm run bench:dedupe`: the accuracy bench (strategies on clips with known held frames), the
// end-to-end bench (the real CLI, off vs exact vs near) and the noisy-clip fidelity bench, one after the other so they never share
// the CPU; prints their markdown and writes it, with the machine and a JSON copy, to --out.
// Usage: node packages/dedupe/bench/dedupe-bench.mjs [--out bench-out/dedupe.md] [end-to-end options]
// Needs everything built (npx turbo run build).
import { spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveFfmpeg } from '../src/test-support/ffmpeg-exec.mjs';

const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const out = resolve(outIndex >= 0 ? args[outIndex + 1] : 'bench-out/dedupe.md');
const passOn = outIndex >= 0 ? args.filter((_, k) => k !== outIndex && k !== outIndex + 1) : args;
const here = (file) => fileURLToPath(new URL(file, import.meta.url));

function machine() {
  const ffmpeg = resolveFfmpeg();
  const lscpu = spawnSync('lscpu', { encoding: 'utf8' }).stdout ?? '';
  return {
    cores: availableParallelism(),
    cpu: /^Model name:\s*(.+)$/m.exec(lscpu)?.[1].trim() ?? cpus()[0]?.model ?? 'unknown',
    node: process.version,
    ffmpeg: `${ffmpeg}: ${spawnSync(ffmpeg, ['-version'], { encoding: 'utf8' }).stdout.split('\n')[0].replace(/ Copyright.*/, '')}`,
  };
}

/** Runs a bench script, echoing its tables and progress; resolves with its stdout and time. */
function runScript(file, scriptArgs) {
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = spawn(process.execPath, [file, ...scriptArgs], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (d) => {
      stdout += d;
      process.stdout.write(d);
    });
    child.on('error', fail);
    child.on('close', (code) => (code === 0 ? done({ stdout, seconds: (performance.now() - started) / 1000 }) : fail(new Error(`${file} exited with ${code}`))));
  });
}

const tmp = await mkdtemp(join(tmpdir(), 'upframe-dedupe-bench-json-'));
const started = performance.now();
const host = machine();
const accuracy = await runScript(here('./accuracy.mjs'), ['--json', join(tmp, 'accuracy.json')]);
const endToEnd = await runScript(here('./end-to-end.mjs'), ['--json', join(tmp, 'end-to-end.json'), ...passOn]);
const noisy = await runScript(here('./noisy-fidelity.mjs'), ['--json', join(tmp, 'noisy.json')]);
const totalSeconds = (performance.now() - started) / 1000;

const header = [
  '## Dedupe: accuracy and end-to-end speed-up',
  '',
  `Command: \`npm run bench:dedupe\` (accuracy ${accuracy.seconds.toFixed(0)} s, end to end ${endToEnd.seconds.toFixed(0)} s, noisy clips ${noisy.seconds.toFixed(0)} s, total ${totalSeconds.toFixed(0)} s).`,
  `Machine: ${host.cores} cores (nproc), ${host.cpu}; Node ${host.node}; ${host.ffmpeg}.`,
  '',
].join('\n');
await mkdir(dirname(out), { recursive: true });
await writeFile(out, `${header}\n${accuracy.stdout.trim()}\n\n${endToEnd.stdout.trim()}\n\n${noisy.stdout.trim()}\n`);
const json = {
  machine: host, totalSeconds,
  accuracy: JSON.parse(await readFile(join(tmp, 'accuracy.json'), 'utf8')),
  endToEnd: JSON.parse(await readFile(join(tmp, 'end-to-end.json'), 'utf8')),
  noisy: JSON.parse(await readFile(join(tmp, 'noisy.json'), 'utf8')),
};
await writeFile(out.replace(/\.md$/, '') + '.json', JSON.stringify(json, null, 2));
await rm(tmp, { recursive: true, force: true });
process.stderr.write(`wrote ${out} and its .json (${totalSeconds.toFixed(0)} s)\n`);
