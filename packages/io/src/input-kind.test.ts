import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectInputKind, outputKindFor } from './input-kind.js';
import { makeClip, tempDir } from './test-support/fixtures.js';
import { writeImage } from './test-support/images.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(() => cleanup());

describe('detectInputKind', () => {
  it('tells directories, images and videos apart, probing names that do not say', async () => {
    const png = join(dir, 'still.png');
    await writeImage(png, 8, 8);
    const disguised = join(dir, 'still.bin');
    await copyFile(png, disguised);
    const clip = await makeClip(dir, 'clip.mp4', { seconds: 0.3 });
    const noExt = join(dir, 'clip');
    await copyFile(clip, noExt);
    await mkdir(join(dir, 'frames'));
    expect(await detectInputKind(join(dir, 'frames'))).toBe('sequence');
    expect(await detectInputKind(png)).toBe('image');
    expect(await detectInputKind(clip)).toBe('video');
    expect(await detectInputKind(disguised)).toBe('image');
    expect(await detectInputKind(noExt)).toBe('video');
  });

  it('names missing and non-media inputs', async () => {
    const text = join(dir, 'notes.dat');
    await writeFile(text, 'hello '.repeat(100));
    await expect(detectInputKind(join(dir, 'nope.mov'))).rejects.toMatchObject({ code: 'INPUT_NOT_FOUND' });
    await expect(detectInputKind(text)).rejects.toMatchObject({ code: 'INPUT_INVALID', file: text });
  });
});

describe('outputKindFor', () => {
  it('maps extensions and directories, and lists what is allowed otherwise', async () => {
    await mkdir(join(dir, 'existing.d'));
    expect(outputKindFor('out.MP4')).toBe('video');
    expect(outputKindFor('out.webm')).toBe('video');
    expect(outputKindFor('out.jpeg')).toBe('image');
    expect(outputKindFor('frames/')).toBe('sequence');
    expect(outputKindFor('frames')).toBe('sequence');
    expect(outputKindFor(join(dir, 'existing.d'))).toBe('sequence');
    expect(() => outputKindFor('out.avi')).toThrow(/\.mp4, \.mkv, \.webm, \.mov, \.png/);
  });
});
