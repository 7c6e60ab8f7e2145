import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryLogger, UpframeError, type FormatChoice, type Frame, type SinkResult, type SourceInfo } from '@upframe/core';
import type { SequenceJournal } from './sequence-journal.js';
import { resumableWriteError } from './sequence-resume.js';
import { SequenceSink } from './sequence-sink.js';
import { SequenceSource } from './sequence-source.js';
import { tempDir } from './test-support/fixtures.js';
import { fixedSelector, writeImage } from './test-support/images.js';
import { mountSmallFilesystem } from './test-support/mounts.js';

// The sequence sink as the pipeline drives it on a rerun: open, ask committedFrames(), write the
// frames after those, close. A SIGKILL is a sink that is simply never closed nor aborted.
let dir: string;
let cleanup: () => Promise<void>;
let input: string;
let info: SourceInfo;
let frames: Frame[];
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('upframe-seqresume-'));
  input = join(dir, 'in');
  await mkdir(input);
  for (let n = 1; n <= 5; n++) await writeImage(join(input, `shot_${String(n).padStart(3, '0')}.png`), 16, 12, { seed: n });
  const source = new SequenceSource({ input }, createMemoryLogger());
  info = await source.open();
  frames = [];
  for await (const f of source.frames()) frames.push({ ...f, data: Buffer.from(f.data) });
});
afterAll(() => cleanup());

const open = async (output: string, logger = createMemoryLogger(), selector = fixedSelector('png')) => {
  const sink = new SequenceSink({ output, formatSelector: selector }, logger);
  await sink.open({ source: info, width: info.width, height: info.height, layout: info.layout });
  return sink;
};

/** Writes frames [committedFrames(), upTo) and, without `upTo`, the rest and closes; with it, stops there as if killed. */
async function run(sink: SequenceSink, upTo?: number): Promise<SinkResult | undefined> {
  for (const f of frames.slice(sink.committedFrames(), upTo ?? frames.length)) await sink.write(f);
  return upTo === undefined ? sink.close() : undefined;
}

async function contents(folder: string): Promise<Record<string, string>> {
  const names = (await readdir(folder)).sort();
  return Object.fromEntries(await Promise.all(names.map(async (n) => [n, (await readFile(join(folder, n))).toString('hex')] as const)));
}

describe('sequence sink resume', () => {
  it('a killed run keeps its frames; the rerun writes the rest, counts them all and leaves no journal', async () => {
    await run(await open(join(dir, 'whole')));
    const output = join(dir, 'out');
    await run(await open(output), 3);
    expect(await readdir(dir)).not.toContain('out');

    const logger = createMemoryLogger();
    const selector = Object.assign(fixedSelector('png'), { resumed: [] as FormatChoice[][], resume(choices: readonly FormatChoice[]) { this.resumed.push([...choices]); } });
    const sink = await open(output, logger, selector);
    expect(sink.committedFrames()).toBe(3);
    expect(logger.messages).toContainEqual({ level: 'info', message: `resuming at frame 3 of 5: 3 frame(s) already written and verified (${output}.upframe)` });
    expect(selector.resumed.map((c) => c.map((x) => x.format))).toEqual([['png', 'png', 'png']]);
    const result = await run(sink);
    expect(selector.calls.map((c) => c.index)).toEqual([3, 4]);
    expect(result).toMatchObject({ framesWritten: 5 });
    expect(await contents(output)).toEqual(await contents(join(dir, 'whole')));
    expect((await readdir(dir)).filter((n) => n.startsWith('out'))).toEqual(['out']);
  });

  it('a truncated committed frame and those after it are written again', async () => {
    const output = join(dir, 'damaged');
    await run(await open(output), 4);
    await truncate(join(`${output}.upframe`, 'frames', 'shot_002.png'), 20);
    const logger = createMemoryLogger();
    const sink = await open(output, logger);
    expect(sink.committedFrames()).toBe(1);
    expect(logger.messages.filter((m) => m.level === 'warn').map((m) => m.message)).toEqual([expect.stringMatching(/frame 1 \(shot_002\.png\) is missing or changed/)]);
    expect(await run(sink)).toMatchObject({ framesWritten: 5 });
    expect(await contents(output)).toEqual(await contents(join(dir, 'whole')));
  });

  it('every frame committed before the kill: the rerun only moves them into place', async () => {
    const output = join(dir, 'complete');
    await run(await open(output), 5);
    const sink = await open(output);
    expect(sink.committedFrames()).toBe(5);
    expect(await run(sink)).toMatchObject({ framesWritten: 5, notes: expect.arrayContaining([expect.stringMatching(/resuming at frame 5 of 5/)]) });
    expect(await contents(output)).toEqual(await contents(join(dir, 'whole')));
  });

  it('a changed format selector is refused with the change named', async () => {
    const output = join(dir, 'other-format');
    await run(await open(output), 2);
    await expect(open(output, createMemoryLogger(), fixedSelector('webp'))).rejects.toMatchObject({ code: 'RESUME_MISMATCH', message: expect.stringMatching(/formatSelector: always-png → always-webp/) });
  });

  it('a full disk stops the run with DISK_FULL, keeps the committed frames, and the same run resumes once there is space', async () => {
    const small = await mountSmallFilesystem(dir, 'small', 1024);
    if (!small) {
      // No mount allowed here: the hint is still checked on its own.
      const error = resumableWriteError(new UpframeError('DISK_FULL', 'disk full'), { committed: 3, dir: '/x/out.upframe' } as SequenceJournal);
      return expect(error).toMatchObject({ code: 'DISK_FULL', hint: expect.stringMatching(/the 3 committed frame\(s\) in \/x\/out\.upframe are kept/) });
    }
    try {
      // Noise does not compress: each 256×256 frame takes ~190 kB, so about five fit.
      const big = Array.from({ length: 12 }, (_, index): Frame => ({ index, pts: index, timeBase: info.timeBase, width: 256, height: 256, layout: 'rgb24', data: randomBytes(256 * 256 * 3) }));
      const output = join(small.dir, 'frames');
      const openBig = async () => {
        const sink = new SequenceSink({ output }, createMemoryLogger());
        await sink.open({ source: info, width: 256, height: 256, layout: 'rgb24' });
        return sink;
      };
      const first = await openBig();
      const error = await (async () => {
        for (const f of big) await first.write(f);
      })().catch((e: UpframeError) => e);
      await first.abort(error);
      expect(error).toMatchObject({ code: 'DISK_FULL', hint: expect.stringMatching(/^Free space on that disk and run the same command again: the \d+ committed frame\(s\) in .*frames\.upframe are kept/) });
      execFileSync('mount', ['-o', 'remount,size=8m', small.dir], { stdio: 'pipe' });
      const again = await openBig();
      const kept = again.committedFrames();
      expect(kept).toBeGreaterThan(0);
      expect(kept).toBeLessThan(12);
      for (const f of big.slice(kept)) await again.write(f);
      expect(await again.close()).toMatchObject({ framesWritten: 12 });
      expect(await readdir(output)).toHaveLength(12);
      expect(await readdir(small.dir)).toEqual(['frames']);
    } finally {
      await small.unmount();
    }
  });
});
