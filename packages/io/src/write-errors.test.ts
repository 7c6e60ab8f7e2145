import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryLogger, UpframeError, type FormatChoice } from '@upframe/core';
import { encodeImage } from './image-codec.js';
import { SequenceSink } from './sequence-sink.js';
import { mountSmallFilesystem, type SmallFilesystem } from './test-support/mounts.js';
import { tempDir } from './test-support/fixtures.js';
import { describeFree, explainWriteError, makeOutputDirectory } from './write-errors.js';

let dir: string;
let cleanup: () => Promise<void>;
const mounts: SmallFilesystem[] = [];
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(async () => {
  for (const m of mounts) await m.unmount();
  await cleanup();
});

const mount = async (name: string) => {
  const fs = await mountSmallFilesystem(dir, name);
  if (fs) mounts.push(fs);
  return fs;
};
// Random pixels do not compress: a 256x256 PNG of them needs ~200 kB.
const noise = () => ({ width: 256, height: 256, channels: 3 as const, data: randomBytes(256 * 256 * 3) });
const png: FormatChoice = { format: 'png', lossless: true, options: {}, reason: 'test' };
const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as UpframeError);
const errno = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('explainWriteError on real filesystems', () => {
  it('a frame written to a full disk says "disk full" with the free space, not sharp\'s words', async () => {
    const fs = await mount('full');
    const target = join(fs?.dir ?? dir, 'frame-0001.png');
    let error: UpframeError | undefined;
    if (fs) {
      const enospc = await fs.fill();
      expect(enospc.code).toBe('ENOSPC');
      error = await failure(encodeImage(noise(), png, target));
      // What sharp says by itself: it never names the cause the way a person would look for it.
      expect((error?.cause as Error).message).not.toMatch(/^disk full/);
    } else {
      // Fault hook where mounting is not permitted: sharp's own message for ENOSPC.
      error = await explainWriteError(new Error(`${target}: write error\nsystem error: No space left on device`), target);
    }
    expect(error).toBeInstanceOf(UpframeError);
    expect(error).toMatchObject({ code: 'DISK_FULL', file: target });
    expect(error?.message).toMatch(new RegExp(`^disk full while writing ${target} \\(\\d+(\\.\\d)? MB free on that filesystem\\)$`));
    if (fs) expect(error?.message).toContain('(0.0 MB free');
    expect(error?.hint).toMatch(/another disk/);
  });

  it('an unexplained write error on a full disk is reported as a full disk (sharp\'s failOn message)', async () => {
    const fs = await mount('full-failon');
    const failOn = new Error('Warning treated as error due to failOn setting');
    if (fs) {
      await fs.fill();
      expect(await explainWriteError(failOn, join(fs.dir, 'x.png'))).toMatchObject({ code: 'DISK_FULL' });
    }
    // With room to spare the same words are not taken for a full disk.
    const roomy = await explainWriteError(failOn, join(dir, 'x.png'));
    expect(roomy).toMatchObject({ code: 'OUTPUT_FAILED', message: `cannot write ${join(dir, 'x.png')}: Warning treated as error due to failOn setting` });
  });

  it('a read-only mount says so, also where Node reports "ENOENT … mkdir"', async () => {
    const fs = await mount('readonly');
    if (fs) {
      fs.readOnly();
      const image = join(fs.dir, 'frame.png');
      const written = await failure(encodeImage(noise(), png, image));
      expect(written).toMatchObject({ code: 'OUTPUT_FAILED', message: `${image} is on a read-only filesystem` });
      const nested = join(fs.dir, 'new', 'deeper');
      const made = await failure(makeOutputDirectory(nested));
      expect((made?.cause as NodeJS.ErrnoException).code).toBe('ENOENT');
      expect(made).toMatchObject({ code: 'OUTPUT_FAILED', message: `${nested} is on a read-only filesystem` });
    } else {
      const image = join(dir, 'frame.png');
      expect(await explainWriteError(errno('EROFS', 'EROFS: read-only file system'), image)).toMatchObject({ message: `${image} is on a read-only filesystem` });
    }
    // A writable place still gets its folders.
    await makeOutputDirectory(join(dir, 'ok', 'nested'));
  });
});

describe('writers', () => {
  it('a frame folder on a full disk fails with DISK_FULL from the sequence sink', async () => {
    const fs = await mount('frames');
    if (!fs) return expect(await explainWriteError(errno('ENOSPC', 'ENOSPC'), dir)).toMatchObject({ code: 'DISK_FULL' });
    const source = { kind: 'video' as const, path: '/nowhere/in.mp4', width: 256, height: 256, layout: 'rgb24' as const, timeBase: { num: 1, den: 25 }, variableFrameRate: false };
    const sink = new SequenceSink({ output: join(fs.dir, 'frames') }, createMemoryLogger());
    await sink.open({ source, width: 256, height: 256, layout: 'rgb24' });
    const frame = (index: number) => ({ index, pts: index, timeBase: source.timeBase, width: 256, height: 256, layout: 'rgb24' as const, data: noise().data });
    const error = await failure((async () => {
      for (let i = 0; i < 40; i++) await sink.write(frame(i));
    })());
    await sink.abort();
    expect(error).toMatchObject({ code: 'DISK_FULL', message: expect.stringMatching(/^disk full while writing .*\.png \(\d+\.\d MB free on that filesystem\)$/) });
  });

  it('encodeImage names the final output, not its temporary, when told to', async () => {
    const temporary = join(dir, 'no-such-folder', 'frame.png');
    const final = join(dir, 'frames', 'frame.png');
    const error = await failure(encodeImage(noise(), png, temporary, { reportAs: final }));
    expect(error).toMatchObject({ code: 'OUTPUT_FAILED', file: final });
    expect(error?.message).toMatch(new RegExp(`^cannot write ${final}: `));
  });
});

describe('explainWriteError', () => {
  it('names the path for permission errors and points at its folder', async () => {
    const path = join(dir, 'locked', 'out.png');
    const error = await explainWriteError(errno('EACCES', `EACCES: permission denied, open '${path}'`), path);
    expect(error).toMatchObject({ code: 'OUTPUT_FAILED', file: path, message: `permission denied writing ${path}` });
    expect(error.hint).toContain(join(dir, 'locked'));
  });

  it('turns ENOSPC and quota errors into DISK_FULL with the free space of the nearest existing folder', async () => {
    const path = join(dir, 'not', 'yet', 'there.png');
    const full = await explainWriteError(errno('ENOSPC', 'ENOSPC: no space left on device, write'), path);
    expect(full.code).toBe('DISK_FULL');
    expect(full.message).toMatch(/^disk full while writing .*there\.png \(\d+(\.\d)? MB free on that filesystem\)$/);
    const quota = await explainWriteError(errno('EDQUOT', 'EDQUOT: disk quota exceeded, write'), path);
    expect(quota.message).toMatch(/^disk quota exceeded while writing/);
  });

  it('passes other errors through with the path, and typed errors unchanged', async () => {
    const path = join(dir, 'a.png');
    const other = await explainWriteError(new Error('VipsForeignSave: something odd'), path);
    expect(other).toMatchObject({ code: 'OUTPUT_FAILED', file: path, message: `cannot write ${path}: VipsForeignSave: something odd` });
    const typed = new UpframeError('USAGE', 'already explained');
    expect(await explainWriteError(typed, path)).toBe(typed);
    // ENOENT in a writable place is not a read-only filesystem.
    expect((await explainWriteError(errno('ENOENT', 'ENOENT: gone'), join(dir, 'gone', 'x.png'))).message).toMatch(/^cannot write .*: ENOENT: gone$/);
  });

  it('prints small amounts of free space with a decimal', () => {
    expect(describeFree(0)).toBe('0.0 MB free on that filesystem');
    expect(describeFree(2_345_678)).toBe('2.3 MB free on that filesystem');
    expect(describeFree(12_345_678_901)).toBe('12345 MB free on that filesystem');
    expect(describeFree(undefined)).toBe('free space unknown');
  });
});
