import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UpframeError, isUpframeError, type Image } from '@upframe/core';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { LOAD_HINTS } from './session-factory.js';
import { createBackend } from './test-support/backend-harness.js';

// Counts conversions, and on demand makes the converter emit bytes onnxruntime cannot parse,
// which is the only way to see a catalog model fail after a fresh conversion.
const converter = vi.hoisted(() => ({ calls: 0, corrupt: false }));
vi.mock('./keras-to-onnx.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('./keras-to-onnx.js')>();
  return {
    ...real,
    kerasToOnnx: (...args: Parameters<typeof real.kerasToOnnx>) => {
      converter.calls++;
      const converted = real.kerasToOnnx(...args);
      return converter.corrupt ? { ...converted, bytes: converted.bytes.subarray(0, 1000) } : converted;
    },
  };
});

const MODEL = 'esrgan-slim-x2';
const image: Image = { width: 8, height: 6, channels: 3, data: Uint8Array.from({ length: 8 * 6 * 3 }, (_, i) => (i * 37) % 256) };
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Loads the model once into a fresh cache; returns the cached files and a reference output. */
async function firstLoad() {
  const cacheDir = await mkdtemp(join(tmpdir(), 'upframe-cache-repair-'));
  const { backend } = createBackend({ model: MODEL, cacheDir });
  await backend.initialize();
  const [out] = await backend.run([image]);
  await backend.dispose();
  const name = (await readdir(cacheDir)).find((f) => f.endsWith('.onnx'))!;
  const file = join(cacheDir, name);
  return { cacheDir, file, sidecar: file.replace(/\.onnx$/, '.json'), bytes: await readFile(file), reference: out!.data };
}

/** Loads again from `cacheDir`: the load must succeed; returns its warnings, output and conversions. */
async function secondLoad(cacheDir: string) {
  const calls = converter.calls;
  const { backend } = createBackend({ model: MODEL, cacheDir });
  await backend.initialize();
  const [out] = await backend.run([image]);
  const { warnings } = backend.info();
  await backend.dispose();
  return { warnings, output: out!.data, conversions: converter.calls - calls };
}

/** The entry is back to what the first conversion wrote (hashes compared: deep-equal on a megabyte is slow). */
async function expectRebuilt(first: Awaited<ReturnType<typeof firstLoad>>) {
  const now = await readFile(first.file);
  expect({ bytes: now.byteLength, sha256: sha256(now) }).toEqual({ bytes: first.bytes.byteLength, sha256: sha256(first.bytes) });
  expect(JSON.parse(await readFile(first.sidecar, 'utf8')).onnx).toEqual({ sha256: sha256(first.bytes), bytes: first.bytes.byteLength });
}

/** Every hint along the cause chain: the CLI prints the innermost one, so none may be the user-file hint. */
function hints(error: unknown): string[] {
  const found: string[] = [];
  for (let e: unknown = error; e instanceof Error; e = e.cause) if (e instanceof UpframeError && e.hint) found.push(e.hint);
  return found;
}

beforeEach(() => {
  converter.corrupt = false;
});

describe('a damaged ONNX cache entry', () => {
  it('(a) a truncated .onnx is rebuilt once, with a warning naming its path', async () => {
    const first = await firstLoad();
    await truncate(first.file, first.bytes.byteLength >> 1);
    const second = await secondLoad(first.cacheDir);
    expect(second.warnings).toEqual([`the cached model at ${first.file} was damaged (it is ${first.bytes.byteLength >> 1} bytes, not the ${first.bytes.byteLength} it was written with) and has been rebuilt.`]);
    expect(second.conversions).toBe(1);
    expect(second.output).toEqual(first.reference);
    await expectRebuilt(first);
  });

  it('(b) bytes garbled in the middle, size kept, are caught by the checksum (onnxruntime would load them)', async () => {
    const first = await firstLoad();
    await writeFile(first.file, Uint8Array.from(first.bytes).fill(0xff, first.bytes.byteLength >> 1, (first.bytes.byteLength >> 1) + 64));
    const second = await secondLoad(first.cacheDir);
    expect(second.warnings).toEqual([expect.stringContaining(`the cached model at ${first.file} was damaged (its sha256 differs`)]);
    expect(second.conversions).toBe(1);
    expect(second.output).toEqual(first.reference);
    await expectRebuilt(first);
  });

  it('(c) a sidecar without a checksum beside a garbled .onnx is rebuilt once, with a warning', async () => {
    const first = await firstLoad();
    const { hash, meta } = JSON.parse(await readFile(first.sidecar, 'utf8'));
    await writeFile(first.sidecar, JSON.stringify({ hash, meta }));
    await writeFile(first.file, Uint8Array.from(first.bytes).fill(0xff, first.bytes.byteLength >> 1, (first.bytes.byteLength >> 1) + 64));
    const second = await secondLoad(first.cacheDir);
    expect(second.warnings).toEqual([expect.stringContaining(`the cached model at ${first.file} was damaged (it differs from a fresh conversion`)]);
    expect(second.conversions).toBe(1);
    expect(second.output).toEqual(first.reference);
    await expectRebuilt(first);
  });

  it('a corrupt .onnx whose sidecar vouches for it is deleted, converted again and opened once more', async () => {
    const first = await firstLoad();
    const corrupt = Uint8Array.from(first.bytes).fill(0xff, 0, 64);
    const stored = JSON.parse(await readFile(first.sidecar, 'utf8'));
    await writeFile(first.sidecar, JSON.stringify({ ...stored, onnx: { sha256: sha256(corrupt), bytes: corrupt.byteLength } }));
    await writeFile(first.file, corrupt);
    const second = await secondLoad(first.cacheDir);
    expect(second.warnings).toEqual([expect.stringMatching(new RegExp(`^the cached model at ${first.file} was damaged \\(onnxruntime cannot load esrgan-slim-x2: .*[Pp]rotobuf parsing failed.*\\) and has been rebuilt\\.$`))]);
    expect(second.conversions).toBe(1);
    expect(second.output).toEqual(first.reference);
    await expectRebuilt(first);
  });
});

describe('(d) a catalog model that onnxruntime rejects', () => {
  const expectConversionFailure = (error: unknown) => {
    expect(isUpframeError(error, 'MODEL_INVALID')).toBe(true);
    expect((error as Error).message).toMatch(/^the conversion of catalog model esrgan-slim-x2 to ONNX failed: .*[Pp]rotobuf parsing failed/);
    expect(hints(error).length).toBeGreaterThan(0);
    for (const hint of hints(error)) expect(hint).toBe(LOAD_HINTS.catalog);
  };

  it('fails as a conversion failure, without retrying, when the conversion is fresh', async () => {
    converter.corrupt = true;
    const calls = converter.calls;
    const { backend } = createBackend({ model: MODEL, cacheDir: await mkdtemp(join(tmpdir(), 'upframe-cache-repair-')) });
    expectConversionFailure(await backend.initialize().catch((e: unknown) => e));
    expect(converter.calls - calls).toBe(1);
  });

  it('fails as a conversion failure after one rebuild of a rejected cache entry', async () => {
    const first = await firstLoad();
    await writeFile(first.file, Uint8Array.from(first.bytes).fill(0xff, 0, 64));
    const { hash, meta } = JSON.parse(await readFile(first.sidecar, 'utf8'));
    await writeFile(first.sidecar, JSON.stringify({ hash, meta, onnx: { sha256: sha256(await readFile(first.file)), bytes: first.bytes.byteLength } }));
    converter.corrupt = true;
    const calls = converter.calls;
    const { backend } = createBackend({ model: MODEL, cacheDir: first.cacheDir });
    expectConversionFailure(await backend.initialize().catch((e: unknown) => e));
    expect(converter.calls - calls).toBe(1);
  });

  it('while a truncated .onnx the user gave keeps the check-your-file hint', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'upframe-user-onnx-'));
    const { bytes } = await firstLoad();
    await writeFile(join(dir, 'mine.onnx'), bytes.subarray(0, 1000));
    const { backend } = createBackend({ model: join(dir, 'mine.onnx') });
    const error = await backend.initialize().catch((e: unknown) => e);
    expect(isUpframeError(error, 'MODEL_INVALID')).toBe(true);
    expect((error as { hint?: string }).hint).toBe(LOAD_HINTS.user);
  });
});
