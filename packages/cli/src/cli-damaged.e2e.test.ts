import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, openSync, readFileSync, closeSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { resolveFfmpegBinaries } from '@upframe/io';
import { beforeAll, describe, expect, it } from 'vitest';
import { countFrames, ffmpeg, tempDir, upframe, videoPacketTimes } from './test-support/cli-harness.js';

const dir = tempDir();
const inputs: Record<string, string> = {};

/**
 * Zero the bytes of frames `from`–`to` in the middle of `clean`, as a bad sector leaves a file. The
 * byte range comes from ffprobe's packet positions, so the test knows which frames were hit.
 */
async function damage(clean: string, out: string, from: number, to: number): Promise<number> {
  const { ffprobe } = await resolveFfmpegBinaries();
  const r = spawnSync(ffprobe.path, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts,pos', '-of', 'csv=p=0', clean], { encoding: 'utf8' });
  const packets = r.stdout.split('\n').filter((l) => /^\d/.test(l)).map((l) => l.split(',').map(Number)).sort((a, b) => a[0] - b[0]);
  const start = packets[from][1];
  const length = packets[to + 1][1] - start;
  copyFileSync(clean, out);
  const fd = openSync(out, 'r+');
  writeSync(fd, Buffer.alloc(length), 0, length, start);
  closeSync(fd);
  return length;
}

beforeAll(async () => {
  // 2 s at 25 fps, no B-frames, so frame k's packet is frame k and frames 23–27 are 0.92–1.12 s.
  for (const ext of ['mp4', 'ts']) {
    const clean = join(dir, `clean.${ext}`);
    await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=64x48:rate=25:duration=2', '-c:v', 'libx264', '-preset', 'ultrafast', '-bf', '0', '-pix_fmt', 'yuv420p', clean]);
    inputs[ext] = join(dir, `damaged.${ext}`);
    expect(await damage(clean, inputs[ext], 23, 27)).toBeGreaterThan(100);
  }
});

const RANGE = { from: 23, to: 27, fromSeconds: 0.92, toSeconds: 1.12 };

describe.each(['mp4', 'ts'])('upframe upscale on a damaged %s (frames 23–27 zeroed)', (ext) => {
  it('fails by default naming the lost frames by index and time, writes no output, and reports nothing written', async () => {
    const out = join(dir, `refused-${ext}.mp4`);
    const report = join(dir, `refused-${ext}.json`);
    const r = await upframe(['upscale', inputs[ext], '-o', out, '--report', report, '--dedupe', 'off', '--quiet']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/damaged input: frames 23–27 \(0\.92–1\.12 s\) are missing/);
    expect(r.stderr).toMatch(/hint: .*--accept-damaged/);
    expect(existsSync(out)).toBe(false);
    const json = JSON.parse(readFileSync(report, 'utf8'));
    expect(json.frames).toMatchObject({ written: 0, missing: [23, 24, 25, 26, 27], damaged: [RANGE] });
    expect(json.errors[0]).toMatchObject({ stage: 'validate', message: expect.stringContaining('frames 23–27') });
  });

  it('with --accept-damaged writes the 45 decoded frames, keeps the gap in the timing, and warns and reports the range', async () => {
    const out = join(dir, `accepted-${ext}.mp4`);
    const report = join(dir, `accepted-${ext}.json`);
    const r = await upframe(['upscale', inputs[ext], '-o', out, '--report', report, '--dedupe', 'off', '--accept-damaged']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/damaged input: frames 23–27 \(0\.92–1\.12 s\) are missing/);
    expect(await countFrames(out)).toBe(45);
    const times = await videoPacketTimes(out);
    const steps = times.slice(1).map((t, i) => Math.round((t - times[i]) * 100) / 100);
    // One step of 6 frames (0.88 s → 1.12 s) where the lost frames were; 0.04 s everywhere else.
    expect(steps[22]).toBe(0.24);
    expect(steps.filter((s, i) => i !== 22).every((s) => s === 0.04)).toBe(true);
    const json = JSON.parse(readFileSync(report, 'utf8'));
    expect(json.frames).toMatchObject({ total: 45, written: 45, missing: [23, 24, 25, 26, 27], damaged: [RANGE] });
    expect(json.frames.encoded).toBeUndefined();
    expect(json.warnings.filter((w: string) => /damaged/.test(w))).toEqual([expect.stringMatching(/frames 23–27 \(0\.92–1\.12 s\) are missing/)]);
  });
});
