import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { guardOutput } from './output-guard.js';

const dir = () => mkdtempSync(join(tmpdir(), 'upframe-guard-'));
const cwd = process.cwd();
afterEach(() => process.chdir(cwd));

describe('guardOutput for folders', () => {
  it('refuses an output folder that contains the input', async () => {
    const proj = dir();
    mkdirSync(join(proj, 'frames'));
    await expect(guardOutput(proj, { kind: 'dir', overwrite: true, allowOtherFiles: true, inputs: [join(proj, 'frames')] }))
      .rejects.toMatchObject({ code: 'OUTPUT_SAME_AS_INPUT', message: expect.stringMatching(/contains the input/) });
  });

  it('refuses an output folder inside the input, and the input itself', async () => {
    const frames = dir();
    await expect(guardOutput(join(frames, 'up'), { kind: 'dir', inputs: [frames] })).rejects.toMatchObject({ code: 'OUTPUT_SAME_AS_INPUT', message: expect.stringMatching(/inside the input/) });
    await expect(guardOutput(frames, { kind: 'dir', overwrite: true, inputs: [frames] })).rejects.toMatchObject({ code: 'OUTPUT_SAME_AS_INPUT' });
  });

  it('refuses the current folder, even with overwrite', async () => {
    const d = dir();
    process.chdir(d);
    await expect(guardOutput('.', { kind: 'dir', overwrite: true, allowOtherFiles: true, inputs: [join(tmpdir(), 'elsewhere.mp4')] }))
      .rejects.toMatchObject({ code: 'USAGE', message: expect.stringMatching(/current folder/) });
  });

  it('refuses a folder of unrelated files with overwrite, naming them, unless other files are allowed', async () => {
    const out = dir();
    writeFileSync(join(out, 'thesis.docx'), 'x');
    mkdirSync(join(out, 'sub'));
    writeFileSync(join(out, '0001.png'), 'x');
    const options = { kind: 'dir' as const, overwrite: true, inputs: [join(tmpdir(), 'clip.mp4')] };
    await expect(guardOutput(out, options)).rejects.toMatchObject({ code: 'OUTPUT_EXISTS', message: expect.stringMatching(/2 entries that are not frames \((sub, thesis\.docx|thesis\.docx, sub)\)/), hint: expect.stringMatching(/--allow-other-files/) });
    await expect(guardOutput(out, { ...options, allowOtherFiles: true })).resolves.toEqual({ existingEntries: 3 });
  });

  it('refuses a non-empty folder without overwrite, and accepts a folder of frames with it', async () => {
    const out = dir();
    writeFileSync(join(out, '0001.png'), 'x');
    const options = { kind: 'dir' as const, inputs: [join(tmpdir(), 'clip.mp4')] };
    await expect(guardOutput(out, options)).rejects.toMatchObject({ code: 'OUTPUT_EXISTS', hint: expect.stringMatching(/nothing else is touched/) });
    await expect(guardOutput(out, { ...options, overwrite: true })).resolves.toEqual({ existingEntries: 1 });
  });
});
