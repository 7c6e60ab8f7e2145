import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheFilePath, readDedupeCache, writeDedupeCache, type DedupeCacheKey } from './dedupe-cache.js';

const key: DedupeCacheKey = { strategy: 'exact', identity: '/v.mkv|1000|1700000000', settings: 'exact/1:xxh32:hash|64x48:rgb24', wordsPerFrame: 1 };
const data = {
  count: 11,
  duplicate: Uint8Array.from([0, 1, 1, 0, 1, 0, 0, 1, 1, 1, 0]),
  words: Uint32Array.from({ length: 11 }, (_, i) => (0xdeadbeef + i * 7919) >>> 0),
};

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'upframe-dedupe-cache-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('dedupe cache file', () => {
  it('round-trips decisions and digests, with a count that is not a multiple of 8', async () => {
    const file = cacheFilePath(dir, key);
    await writeDedupeCache(file, key, data);
    const read = await readDedupeCache(file, key);
    expect(read.state).toBe('loaded');
    if (read.state !== 'loaded') return;
    expect(read.data.count).toBe(11);
    expect([...read.data.duplicate]).toEqual([...data.duplicate]);
    expect([...read.data.words]).toEqual([...data.words]);
  });

  it('is compact: about a bit per frame plus the digest words', async () => {
    const file = cacheFilePath(dir, { ...key, wordsPerFrame: 0 });
    const big = { count: 100_000, duplicate: new Uint8Array(100_000), words: new Uint32Array(0) };
    await writeDedupeCache(file, { ...key, wordsPerFrame: 0 }, big);
    expect((await readFile(file)).length).toBeLessThan(100_000 / 8 + 200);
  });

  it('names files by identity and settings, so a changed input or setting misses', () => {
    const path = cacheFilePath(dir, key);
    expect(cacheFilePath(dir, { ...key, identity: '/v.mkv|1000|1700000001' })).not.toBe(path);
    expect(cacheFilePath(dir, { ...key, settings: 'exact/1:md5:hash|64x48:rgb24' })).not.toBe(path);
    expect(path.startsWith(join(dir, 'dedupe-exact-'))).toBe(true);
  });

  it('reports stale when the file under that name belongs to other identity or settings', async () => {
    const file = cacheFilePath(dir, key);
    await writeDedupeCache(file, key, data);
    expect((await readDedupeCache(file, { ...key, identity: 'other' })).state).toBe('stale');
    expect((await readDedupeCache(file, { ...key, settings: 'other' })).state).toBe('stale');
    expect((await readDedupeCache(file, { ...key, wordsPerFrame: 4 })).state).toBe('stale');
  });

  it('reports missing, and unreadable for truncated or corrupted files', async () => {
    const file = cacheFilePath(dir, key);
    expect((await readDedupeCache(file, key)).state).toBe('missing');
    await writeDedupeCache(file, key, data);
    const bytes = await readFile(file);
    await writeFile(file, bytes.subarray(0, bytes.length - 3));
    expect((await readDedupeCache(file, key)).state).toBe('unreadable');
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 10] ^= 0x40;
    await writeFile(file, flipped);
    expect((await readDedupeCache(file, key)).state).toBe('unreadable');
    await writeFile(file, 'not a cache');
    expect((await readDedupeCache(file, key)).state).toBe('unreadable');
  });

  it('writes atomically: replaces an existing file and leaves no temporary file behind', async () => {
    const file = cacheFilePath(dir, key);
    await writeDedupeCache(file, key, data);
    await writeDedupeCache(file, key, { ...data, count: 3, duplicate: data.duplicate.subarray(0, 3), words: data.words.subarray(0, 3) });
    expect(await readdir(dir)).toEqual([file.slice(dir.length + 1)]);
    const read = await readDedupeCache(file, key);
    expect(read.state === 'loaded' && read.data.count).toBe(3);
  });

  it('fails to write into a path that is not a directory, without leaving litter', async () => {
    const blocker = join(dir, 'blocker');
    await writeFile(blocker, 'x');
    await expect(writeDedupeCache(join(blocker, 'c.bin'), key, data)).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['blocker']);
  });
});
