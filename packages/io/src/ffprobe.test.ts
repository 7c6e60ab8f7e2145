import { chmodSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { probeMedia } from './ffprobe.js';
import { bundledBinaries, ffmpeg } from './test-support/fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'upframe-probe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An ffprobe that counts its starts in a file, then runs the real one. */
async function countingProbe() {
  const real = (await bundledBinaries()).ffprobe;
  const log = join(dir, 'starts.log');
  const path = join(dir, 'ffprobe');
  writeFileSync(path, `#!/bin/sh\necho x >> '${log}'\nexec '${real.path}' "$@"\n`);
  chmodSync(path, 0o755);
  return { binary: { ...real, path }, starts: () => readFileSync(log, 'utf8').split('\n').filter(Boolean).length };
}

describe('probeMedia', () => {
  it('probes an unchanged file once per process, and again once it changed', async () => {
    const clip = join(dir, 'clip.mkv');
    const make = (seconds: number) => ffmpeg(['-y', '-f', 'lavfi', '-i', `testsrc2=s=64x48:d=${seconds}`, '-c:v', 'ffv1', clip]);
    await make(1);
    const { binary, starts } = await countingProbe();
    const first = await probeMedia(binary, clip);
    const second = await probeMedia(binary, clip);
    expect(starts()).toBe(1);
    expect(second).toEqual(first);
    expect(second).not.toBe(first); // a copy each: one caller cannot change another's result

    await make(2);
    utimesSync(clip, new Date(), new Date(Date.now() + 5000));
    const third = await probeMedia(binary, clip);
    expect(starts()).toBe(2);
    expect(Number(third.format.duration)).toBeGreaterThan(Number(first.format.duration));
  });

  it('does not remember a failure: a file that becomes readable is probed again', async () => {
    const file = join(dir, 'late.mkv');
    writeFileSync(file, 'not media');
    const { binary } = await countingProbe();
    await expect(probeMedia(binary, file)).rejects.toMatchObject({ code: 'INPUT_INVALID' });
    await ffmpeg(['-y', '-f', 'lavfi', '-i', 'testsrc2=s=64x48:d=1', '-c:v', 'ffv1', file]);
    utimesSync(file, new Date(), new Date(Date.now() + 10_000));
    await expect(probeMedia(binary, file)).resolves.toMatchObject({ streams: [expect.objectContaining({ codec_type: 'video' })] });
  });
});
