import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

// The worker entry only exists compiled (tests run from src/), so this drives the built package
// in a child Node process, exactly as the CLI would with `UPFRAME_ONNX_WORKER=on`.
const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const repo = fileURLToPath(new URL('../../../', import.meta.url));

const script = `
import 'reflect-metadata';
import { createUpframeContainer, silentLogger, TOKENS } from '@upframe/core';
import { register } from ${JSON.stringify(pathToFileURL(dist).href)};
const c = createUpframeContainer({ logger: silentLogger });
register(c);
const data = new Uint8Array(24 * 16 * 3).map((_, i) => (i * 37) % 256);
const image = { width: 24, height: 16, channels: 3, data };
const out = {};
for (const worker of ['on', 'off']) {
  const b = c.resolve(TOKENS.Backends).create(c, 'onnx', { model: 'esrgan-slim-x2', device: 'cpu', threads: 1, extra: { worker } });
  await b.initialize();
  const [a, second] = await Promise.all([b.run([image]), b.run([image, image])]);
  out[worker] = { width: a[0].width, bytes: Buffer.from(a[0].data).toString('base64'), same: Buffer.from(second[1].data).equals(Buffer.from(a[0].data)) };
  await b.dispose();
}
console.log(JSON.stringify(out));
`;

describe('onnx inference in a worker thread', () => {
  it('gives the same bytes as the main thread, with batches in flight', () => {
    expect(existsSync(dist)).toBe(true);
    // A file inside the repo, so its bare imports resolve from the workspace's node_modules.
    const file = join(mkdtempSync(join(repo, 'node_modules', '.upframe-test-')), 'worker-check.mjs');
    writeFileSync(file, script);
    const env = { ...process.env, UPFRAME_CACHE_DIR: mkdtempSync(join(tmpdir(), 'upframe-worker-cache-')) };
    const stdout = execFileSync(process.execPath, [file], { cwd: repo, encoding: 'utf8', env });
    const out = JSON.parse(stdout.trim().split('\n').at(-1) as string);
    expect(out.on.width).toBe(48);
    expect(out.on.same).toBe(true);
    expect(out.on.bytes).toBe(out.off.bytes);
  });
});

const deepScript = `
import 'reflect-metadata';
import { bytesOf16, createUpframeContainer, samples16, silentLogger, TOKENS } from '@upframe/core';
import { register } from ${JSON.stringify(pathToFileURL(dist).href)};
const c = createUpframeContainer({ logger: silentLogger });
register(c);
// A gentle 16-bit ramp: neighbours differ by far less than one 8-bit level (257).
const samples = new Uint16Array(24 * 16 * 3).map((_, i) => 30000 + Math.floor(i / 3) * 9);
const image = { width: 24, height: 16, channels: 3, depth: 16, data: bytesOf16(samples) };
const out = {};
for (const worker of ['on', 'off']) {
  const b = c.resolve(TOKENS.Backends).create(c, 'onnx', { model: 'esrgan-slim-x2', device: 'cpu', threads: 1, extra: { worker } });
  await b.initialize();
  const [a] = await b.run([image]);
  const s = samples16(a.data);
  out[worker] = { depth: a.depth, bytes: a.data.length, between: s.filter((v) => v % 257 !== 0).length, levels: new Set(s).size, hash: Buffer.from(a.data).toString('base64') };
  await b.dispose();
}
console.log(JSON.stringify(out));
`;

describe('onnx inference on 16-bit images', () => {
  it('answers a 16-bit image in 16 bits, in the worker and on the main thread alike', () => {
    expect(existsSync(dist)).toBe(true);
    const file = join(mkdtempSync(join(repo, 'node_modules', '.upframe-test-')), 'worker-deep-check.mjs');
    writeFileSync(file, deepScript);
    const env = { ...process.env, UPFRAME_CACHE_DIR: mkdtempSync(join(tmpdir(), 'upframe-worker-cache-')) };
    const stdout = execFileSync(process.execPath, [file], { cwd: repo, encoding: 'utf8', env });
    const out = JSON.parse(stdout.trim().split('\n').at(-1) as string);
    expect(out.on.depth).toBe(16);
    expect(out.on.bytes).toBe(48 * 32 * 3 * 2);
    // Rounded to 8 bits, every sample would be a multiple of 257 and the ramp ~14 levels.
    expect(out.on.between).toBeGreaterThan(out.on.bytes / 2 / 2);
    expect(out.on.levels).toBeGreaterThan(200);
    expect(out.on.hash).toBe(out.off.hash);
  });
});
