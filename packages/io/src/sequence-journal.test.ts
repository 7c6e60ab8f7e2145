import { appendFile, mkdir, readdir, readFile, truncate, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FormatChoice, UpframeError } from '@upframe/core';
import { SequenceJournal } from './sequence-journal.js';
import { sequenceInputIdentity } from './sequence-input-identity.js';
import { tempDir } from './test-support/fixtures.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir('upframe-seqjournal-')));
afterAll(() => cleanup());

const png: FormatChoice = { format: 'png', lossless: true, options: {}, reason: 'test' };
const settings = { model: 'm1', format: 'png' };

/** An input folder of three "frames" and an output path beside it. */
async function setup(name: string): Promise<{ input: string; output: string }> {
  const input = join(dir, `${name}-in`);
  await mkdir(input, { recursive: true });
  for (const n of [1, 2, 3]) await writeFile(join(input, `f${n}.png`), `frame ${n}`);
  return { input, output: join(dir, `${name}-out`) };
}

/** Writes `count` frames through the journal as the sink does: temporary file, then commit. */
async function writeFrames(journal: SequenceJournal, count: number): Promise<void> {
  for (let i = journal.committed; i < count; i++) {
    const temporary = journal.temporaryPath();
    await writeFile(temporary, `upscaled ${i}`.repeat(10));
    await journal.commit(temporary, { index: i, file: `f${i + 1}.png`, choice: png });
  }
}

const open = async (input: string, output: string, s: Record<string, string> = settings, fresh = false) => SequenceJournal.open(output, await sequenceInputIdentity(input), s, fresh);

describe('sequence journal', () => {
  it('records committed frames durably and finds them again, with their choice', async () => {
    const { input, output } = await setup('basic');
    const { journal } = await open(input, output);
    expect(journal.dir).toBe(`${output}.upframe`);
    await writeFrames(journal, 3);
    const again = await open(input, output);
    expect(again.journal.committed).toBe(3);
    expect(again.dropped).toEqual([]);
    expect(again.journal.frames.map((r) => [r.index, r.file, r.bytes, r.choice.format])).toEqual([[0, 'f1.png', 100, 'png'], [1, 'f2.png', 100, 'png'], [2, 'f3.png', 100, 'png']]);
    expect((await readdir(again.journal.dir)).sort()).toEqual(['frames', 'frames.jsonl', 'journal.json']);
  });

  it('ignores a torn last line, and appends after it cleanly', async () => {
    const { input, output } = await setup('torn');
    await writeFrames((await open(input, output)).journal, 2);
    await appendFile(join(`${output}.upframe`, 'frames.jsonl'), '{"index":2,"file":"f3.png","by');
    const { journal } = await open(input, output);
    expect(journal.committed).toBe(2);
    await writeFrames(journal, 3);
    expect((await open(input, output)).journal.committed).toBe(3);
  });

  it('keeps frames only up to the first truncated or changed one; the rest are deleted to be written again', async () => {
    const { input, output } = await setup('bad');
    await writeFrames((await open(input, output)).journal, 3);
    const frames = join(`${output}.upframe`, 'frames');
    await truncate(join(frames, 'f2.png'), 10);
    const truncated = await open(input, output);
    expect(truncated.journal.committed).toBe(1);
    expect(truncated.dropped[0]).toMatch(/frame 1 \(f2\.png\) is missing or changed: frames from 1 on are written again/);
    expect(await readdir(frames)).toEqual(['f1.png']);

    await writeFrames(truncated.journal, 3);
    // Same size, other bytes: only the hash tells.
    await writeFile(join(frames, 'f1.png'), 'X'.repeat(100));
    const changed = await open(input, output);
    expect(changed.journal.committed).toBe(0);
    expect(await readdir(frames)).toEqual([]);
  });

  it('sweeps temporaries and frames that were renamed into place but never recorded', async () => {
    const { input, output } = await setup('sweep');
    await writeFrames((await open(input, output)).journal, 1);
    await writeFile(join(`${output}.upframe`, '.frame-abc.tmp'), 'half');
    await writeFile(join(`${output}.upframe`, 'frames', 'f2.png'), 'unrecorded');
    const { journal } = await open(input, output);
    expect(journal.committed).toBe(1);
    expect(await readdir(journal.dir)).not.toContain('.frame-abc.tmp');
    expect(await readdir(journal.framesDir)).toEqual(['f1.png']);
  });

  it('refuses other settings or a changed input folder, naming the change; fresh starts over', async () => {
    const { input, output } = await setup('changed');
    await writeFrames((await open(input, output)).journal, 2);
    const model = await open(input, output, { ...settings, model: 'm2' }).catch((e: UpframeError) => e);
    expect(model).toMatchObject({ code: 'RESUME_MISMATCH', message: expect.stringMatching(/holds 2 frame\(s\) of an interrupted run with other settings: model: m1 → m2/), hint: expect.stringMatching(/--fresh/) });
    const format = await open(input, output, { model: 'm1', format: 'webp' }).catch((e: UpframeError) => e);
    expect(format).toMatchObject({ code: 'RESUME_MISMATCH', message: expect.stringMatching(/format: png → webp/) });

    // Same size, new modification time: a frame edited in place.
    await utimes(join(input, 'f2.png'), new Date(), new Date(Date.now() + 60_000));
    const edited = await open(input, output).catch((e: UpframeError) => e);
    expect(edited).toMatchObject({ code: 'RESUME_MISMATCH', message: expect.stringMatching(/input folder .*changed-in changed since \(a file was modified/) });
    await writeFile(join(input, 'f4.png'), 'frame 4');
    const added = await open(input, output).catch((e: UpframeError) => e);
    expect(added).toMatchObject({ message: expect.stringMatching(/3 files, 21 bytes → 4 files, 28 bytes/) });
    expect(await readdir(join(`${output}.upframe`, 'frames'))).toEqual(['f1.png', 'f2.png']);

    const fresh = await open(input, output, settings, true);
    expect(fresh.journal.committed).toBe(0);
    expect(await readdir(fresh.journal.framesDir)).toEqual([]);
  });

  it('refuses the journal of a video output at the same path', async () => {
    const { input, output } = await setup('video');
    await mkdir(`${output}.upframe`);
    await writeFile(join(`${output}.upframe`, 'journal.json'), JSON.stringify({ version: 1, output, input: {}, settings: {}, partSeconds: 60, parts: [] }));
    await expect(open(input, output)).rejects.toMatchObject({ code: 'RESUME_MISMATCH', message: expect.stringMatching(/journal of a video output, not of a frame folder/) });
  });

  it('a folder without a header is not a journal: it is started anew', async () => {
    const { input, output } = await setup('headless');
    await mkdir(join(`${output}.upframe`, 'frames'), { recursive: true });
    await writeFile(join(`${output}.upframe`, 'frames', 'f1.png'), 'left over');
    const { journal } = await open(input, output);
    expect(journal.committed).toBe(0);
    expect(await readdir(journal.framesDir)).toEqual([]);
    expect(JSON.parse(await readFile(join(journal.dir, 'journal.json'), 'utf8'))).toMatchObject({ kind: 'sequence', settings, input: { kind: 'folder', files: 3 } });
  });
});

describe('input identity of a frame folder', () => {
  it('covers the named frames only, so other files beside them do not matter', async () => {
    const { input } = await setup('names');
    const frames = ['f1.png', 'f2.png', 'f3.png'];
    const before = await sequenceInputIdentity(input, frames);
    await writeFile(join(input, 'notes.txt'), 'mine');
    expect(await sequenceInputIdentity(input, frames)).toEqual(before);
    expect(await sequenceInputIdentity(input)).toMatchObject({ kind: 'folder', files: 4 });
    await writeFile(join(input, 'f3.png'), 'frame 3, redone');
    expect(await sequenceInputIdentity(input, frames)).not.toEqual(before);
  });

  it('identifies a file as the video journal does', async () => {
    const { input } = await setup('file');
    expect(await sequenceInputIdentity(join(input, 'f1.png'))).toMatchObject({ kind: 'file', size: 7, head: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });
});
