import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { cachedConversion, resolveCacheDir, sourceHash } from './model-cache.js';

const tmp = () => mkdtemp(join(tmpdir(), 'upframe-model-cache-'));

describe('model cache', () => {
  it('converts on a miss, skips the conversion on a hit, and re-converts when the source changes', async () => {
    const dir = await tmp();
    const source = join(dir, 'model.json');
    await writeFile(source, '{"v":1}');
    const convert = vi.fn(() => ({ bytes: new Uint8Array([1, 2, 3]), meta: { scale: 2 } }));
    const cacheDir = join(dir, 'cache');

    const first = await cachedConversion(cacheDir, 'm', await sourceHash([source], 'salt'), convert);
    const second = await cachedConversion(cacheDir, 'm', await sourceHash([source], 'salt'), convert);
    expect([first.hit, second.hit]).toEqual([false, true]);
    expect(convert).toHaveBeenCalledTimes(1);
    expect(second.meta).toEqual({ scale: 2 });
    expect(second.model).toBe(first.model);

    await writeFile(source, '{"v":2}');
    const third = await cachedConversion(cacheDir, 'm', await sourceHash([source], 'salt'), convert);
    expect(third.hit).toBe(false);
    expect(convert).toHaveBeenCalledTimes(2);
    expect(third.model).not.toBe(first.model);
    // Atomic writes leave no temporary files behind.
    expect((await readdir(cacheDir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('keys on the salt (converter version) too', async () => {
    const dir = await tmp();
    const source = join(dir, 'a.bin');
    await writeFile(source, 'x');
    expect(await sourceHash([source], 'v1')).not.toBe(await sourceHash([source], 'v2'));
  });

  it('still returns the model, with a warning, when the cache folder cannot be created', async () => {
    const dir = await tmp();
    // A regular file where a folder should be fails for every user, root included.
    await writeFile(join(dir, 'blocker'), '');
    const result = await cachedConversion(join(dir, 'blocker', 'onnx'), 'm', 'h'.repeat(64), () => ({ bytes: new Uint8Array([7]), meta: {} }));
    expect(result.model).toEqual(new Uint8Array([7]));
    expect(result.hit).toBe(false);
    expect(result.warnings).toEqual([expect.stringMatching(/cannot write the ONNX cache in .*blocker/)]);
  });

  it('records the size and sha256 of the .onnx in its sidecar, and rebuilds a file that no longer matches', async () => {
    const cacheDir = join(await tmp(), 'cache');
    const bytes = Uint8Array.from({ length: 64 }, (_, i) => i);
    const convert = vi.fn(() => ({ bytes, meta: {} }));
    const first = await cachedConversion(cacheDir, 'm', 'a'.repeat(64), convert);
    const file = first.model as string;
    const sidecar = JSON.parse(await readFile(file.replace(/\.onnx$/, '.json'), 'utf8'));
    expect(sidecar.onnx).toEqual({ sha256: createHash('sha256').update(bytes).digest('hex'), bytes: 64 });

    await writeFile(file, bytes.subarray(0, 10));
    const truncated = await cachedConversion(cacheDir, 'm', 'a'.repeat(64), convert);
    expect(truncated).toMatchObject({ hit: false, warnings: [`the cached model at ${file} was damaged (it is 10 bytes, not the 64 it was written with) and has been rebuilt.`] });
    await writeFile(file, Uint8Array.from(bytes).fill(0, 20, 30));
    const garbled = await cachedConversion(cacheDir, 'm', 'a'.repeat(64), convert);
    expect(garbled.warnings).toEqual([expect.stringContaining('its sha256 differs from the one recorded')]);
    expect(convert).toHaveBeenCalledTimes(3);
    expect(await readFile(file)).toEqual(Buffer.from(bytes));
    expect(await cachedConversion(cacheDir, 'm', 'a'.repeat(64), convert)).toMatchObject({ hit: true, warnings: [] });
  });

  it('checks an entry from before checksums against a fresh conversion, warning only when they differ', async () => {
    const cacheDir = join(await tmp(), 'cache');
    const bytes = Uint8Array.from({ length: 64 }, (_, i) => i);
    const convert = vi.fn(() => ({ bytes, meta: { scale: 2 } }));
    const file = (await cachedConversion(cacheDir, 'm', 'b'.repeat(64), convert)).model as string;
    const legacy = JSON.stringify({ hash: 'b'.repeat(64), meta: { scale: 2 } });
    await writeFile(file.replace(/\.onnx$/, '.json'), legacy);
    const intact = await cachedConversion(cacheDir, 'm', 'b'.repeat(64), convert);
    expect(intact).toMatchObject({ hit: false, warnings: [] });
    // The entry got its checksum, so the next start is a plain hit.
    expect(await cachedConversion(cacheDir, 'm', 'b'.repeat(64), convert)).toMatchObject({ hit: true });

    await writeFile(file.replace(/\.onnx$/, '.json'), legacy);
    await writeFile(file, Uint8Array.from(bytes).fill(255, 20, 30));
    const damaged = await cachedConversion(cacheDir, 'm', 'b'.repeat(64), convert);
    expect(damaged.warnings).toEqual([`the cached model at ${file} was damaged (it differs from a fresh conversion of the same model) and has been rebuilt.`]);
    expect(await readFile(file)).toEqual(Buffer.from(bytes));
  });

  it('resolves the cache folder from options, UPFRAME_CACHE_DIR, XDG_CACHE_HOME, then ~/.cache', () => {
    expect(resolveCacheDir('/opt/c', { UPFRAME_CACHE_DIR: '/u' }, '/home/a')).toBe('/opt/c');
    expect(resolveCacheDir(undefined, { UPFRAME_CACHE_DIR: '/u', XDG_CACHE_HOME: '/x' }, '/home/a')).toBe('/u/onnx');
    expect(resolveCacheDir(undefined, { XDG_CACHE_HOME: '/x' }, '/home/a')).toBe('/x/upframe/onnx');
    expect(resolveCacheDir(undefined, {}, '/home/a')).toBe('/home/a/.cache/upframe/onnx');
  });
});
