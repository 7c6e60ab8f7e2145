import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
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
    expect(result.warning).toMatch(/cannot write the ONNX cache in .*blocker/);
  });

  it('resolves the cache folder from options, UPFRAME_CACHE_DIR, XDG_CACHE_HOME, then ~/.cache', () => {
    expect(resolveCacheDir('/opt/c', { UPFRAME_CACHE_DIR: '/u' }, '/home/a')).toBe('/opt/c');
    expect(resolveCacheDir(undefined, { UPFRAME_CACHE_DIR: '/u', XDG_CACHE_HOME: '/x' }, '/home/a')).toBe('/u/onnx');
    expect(resolveCacheDir(undefined, { XDG_CACHE_HOME: '/x' }, '/home/a')).toBe('/x/upframe/onnx');
    expect(resolveCacheDir(undefined, {}, '/home/a')).toBe('/home/a/.cache/upframe/onnx');
  });
});
