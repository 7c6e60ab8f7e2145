import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame } from '@upframe/core';
import { contextFor, createStrategy, decideAll, testContainer } from './test-support/run-strategy.js';
import { frameOf, mapPicture, prng, texturedPicture, type Picture } from './test-support/synthetic-frames.js';

// The cache and replay machinery shared by `exact` and `near`, exercised through both.

const base = texturedPicture(48, 32, 9);
const other = texturedPicture(48, 32, 10);
/** Held and changing pictures: 0 0 0 1 1 0 0 0 1 0 0 0 (by source picture). */
const pics: Picture[] = [base, base, base, other, other, base, base, base, other, base, base, base].map((p) => ({
  ...p,
  data: p.data.slice(),
}));
const real = pics.map((p, i) => frameOf(p, i));
/** Same geometry, random bytes: decisions taken from these came from the cache, not the pixels. */
const garbage = (count: number, from = 0): Frame[] => {
  const rand = prng(99);
  return Array.from({ length: count }, (_, i) => ({ ...real[from + i], data: Uint8Array.from(base.data, () => Math.floor(rand() * 256)) }));
};

let cacheDir: string;
beforeEach(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'upframe-dedupe-replay-'));
});
afterEach(async () => {
  await rm(cacheDir, { recursive: true, force: true });
});

const identity = '/clips/test.mkv|123456|1700000000000';
const ctx = (extra: Parameters<typeof contextFor>[1] = {}) => contextFor(base, { identity, cacheDir, frameCount: real.length, ...extra });

describe.each(['exact', 'near'])('%s with a decision cache', (name) => {
  it('answers a second run from the cache without looking at pixels', async () => {
    const { container } = testContainer();
    const first = await decideAll(createStrategy(container, name), real, ctx());
    expect(first.refs).toEqual([-1, 0, 0, -1, 3, -1, 5, 5, -1, -1, 9, 9]);
    expect(first.stats).toMatchObject({ cache: 'missing', cacheHits: 0 });
    const [file] = await readdir(cacheDir);
    const written = (await stat(join(cacheDir, file))).mtimeMs;
    const second = await decideAll(createStrategy(container, name), garbage(real.length), ctx());
    expect(second.refs).toEqual(first.refs);
    expect(second.stats).toMatchObject({ cache: 'loaded', cacheHits: real.length, workMs: 0 });
    // Nothing new was decided, so the file is left alone.
    expect((await stat(join(cacheDir, file))).mtimeMs).toBe(written);
  });

  it('is not used when the input identity or the settings change', async () => {
    const { container } = testContainer();
    await decideAll(createStrategy(container, name), real, ctx());
    const touched = await decideAll(createStrategy(container, name), garbage(real.length), ctx({ identity: `${identity}1` }));
    expect(touched.stats).toMatchObject({ cache: 'missing', cacheHits: 0 });
    expect(touched.refs.every((r) => r === -1)).toBe(true);
    const options = name === 'near' ? { hi: 500 } : { hash: 'md5' };
    const retuned = await decideAll(createStrategy(container, name, options), garbage(real.length), ctx());
    expect(retuned.stats.cacheHits).toBe(0);
    expect(retuned.refs.every((r) => r === -1)).toBe(true);
  });

  it('continues past the end of a partial cache with the same decisions as an uncached run', async () => {
    const { container } = testContainer();
    const uncached = await decideAll(createStrategy(container, name), real);
    // An interrupted first run: 6 frames, frame count unknown.
    await decideAll(createStrategy(container, name), real.slice(0, 6), ctx({ frameCount: undefined }));
    const resumed = await decideAll(createStrategy(container, name), real, ctx({ frameCount: undefined }));
    expect(resumed.refs).toEqual(uncached.refs);
    expect(resumed.stats.cacheHits).toBe(6);
    // The resumed run extended the cache to every frame.
    const third = await decideAll(createStrategy(container, name), garbage(real.length), ctx());
    expect(third.refs).toEqual(uncached.refs);
    expect(third.stats.cacheHits).toBe(real.length);
  });

  it('runs without a cache when there is no cache directory or no identity, and writes nothing', async () => {
    const { container } = testContainer();
    const noDir = await decideAll(createStrategy(container, name), real, contextFor(base, { identity }));
    const noId = await decideAll(createStrategy(container, name), real, contextFor(base, { cacheDir }));
    expect(noDir.stats.cache).toBe('disabled');
    expect(noId.stats.cache).toBe('disabled');
    expect(await readdir(cacheDir)).toEqual([]);
  });

  it('warns about an unreadable cache, recomputes, and rewrites it', async () => {
    const { container, logger } = testContainer();
    await decideAll(createStrategy(container, name), real, ctx());
    const [file] = await readdir(cacheDir);
    await writeFile(join(cacheDir, file), 'garbage');
    const run = await decideAll(createStrategy(container, name), real, ctx());
    expect(run.stats.cache).toBe('unreadable');
    expect(logger.messages.some((m) => m.level === 'warn' && m.message.includes('unreadable cache'))).toBe(true);
    const again = await decideAll(createStrategy(container, name), garbage(real.length), ctx());
    expect(again.stats.cache).toBe('loaded');
  });

  it('warns but finishes the run when the cache cannot be written', async () => {
    const { container, logger } = testContainer();
    const blocker = join(cacheDir, 'not-a-dir');
    await writeFile(blocker, 'x');
    const run = await decideAll(createStrategy(container, name), real, ctx({ cacheDir: blocker }));
    expect(run.refs[1]).toBe(0);
    expect(logger.messages.some((m) => m.level === 'warn' && m.message.includes('could not write cache'))).toBe(true);
  });
});

describe('exact replay', () => {
  it('continues a partial cache from the cached digest alone, reading no cached frame', async () => {
    const { container } = testContainer();
    const uncached = await decideAll(createStrategy(container, 'exact'), real);
    await decideAll(createStrategy(container, 'exact'), real.slice(0, 6), ctx({ frameCount: undefined }));
    const resumed = await decideAll(createStrategy(container, 'exact'), [...garbage(6), ...real.slice(6)], ctx({ frameCount: undefined }));
    expect(resumed.refs).toEqual(uncached.refs);
  });
});

describe('near replay', () => {
  it('continues a partial cache mid-fade with the fade allowance it had, as an uncached run does', async () => {
    // A fade drawn on threes: 3-level steps, held frames drifting 0.4 level (see near-dedupe.test.ts).
    const fade = Array.from({ length: 30 }, (_, i) => {
      const k = Math.floor(i / 3);
      const drift = i % 3 !== 0;
      return frameOf(mapPicture(base, (pixel, c, v) => (c < 3 ? v + 3 * k + (drift && pixel % 100 < 40 ? 1 : 0) : v)), i);
    });
    const { container } = testContainer();
    const uncached = await decideAll(createStrategy(container, 'near'), fade);
    // The allowance rises after frame 9, so a cache of 13 frames ends while it is raised.
    expect(uncached.refs[13]).toBe(12);
    await decideAll(createStrategy(container, 'near'), fade.slice(0, 13), ctx({ frameCount: undefined }));
    const resumed = await decideAll(createStrategy(container, 'near'), fade, ctx({ frameCount: undefined }));
    expect(resumed.stats.cacheHits).toBe(13);
    expect(resumed.refs).toEqual(uncached.refs);
  });
});
