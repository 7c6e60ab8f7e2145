import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveFfmpegBinaries } from '@upframe/io';
import { beforeAll, describe, expect, it } from 'vitest';
import { countFrames, decodeRgbFrames, ffmpeg, tempDir, upframe, videoPacketTimes } from './test-support/cli-harness.js';

// Real fields (a bar sweeping 8 px between fields over testsrc2, woven by the interlace filter),
// coded as interlaced H.264 so field_order says tt or bb.
const dir = tempDir();
const clips = { tff: join(dir, 'tff.mp4'), bff: join(dir, 'bff.mp4') };

beforeAll(async () => {
  const inputs = ['-f', 'lavfi', '-i', 'testsrc2=size=128x96:rate=50:duration=1', '-f', 'lavfi', '-i', 'color=white:size=24x96:rate=50:duration=1'];
  const x264 = ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-bf', '0', '-flags', '+ilme+ildct'];
  const scene = "[0][1]overlay=x='mod(t*400,128)':y=0";
  await ffmpeg([...inputs, '-filter_complex', `${scene},interlace=scan=tff`, ...x264, '-top', '1', clips.tff]);
  await ffmpeg([...inputs, '-filter_complex', `${scene},interlace=scan=bff`, ...x264, '-x264-params', 'bff=1', clips.bff]);
});

async function fieldOrder(file: string): Promise<string> {
  const { ffprobe } = await resolveFfmpegBinaries();
  return spawnSync(ffprobe.path, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=field_order', '-of', 'csv=p=0', file], { encoding: 'utf8' }).stdout.trim();
}

/**
 * Mean over frames of |row(y) − row(y+s)| / |row(y) − row(y+2s)| with s = 2 (one field line after
 * a ×2 upscale): above 1 when woven fields comb, well below once deinterlaced.
 */
async function combing(file: string, width: number, height: number, s = 2): Promise<number> {
  const frames = await decodeRgbFrames(file, width, height);
  const stride = width * 3;
  const ratios = frames.map((d) => {
    let near = 0;
    let far = 0;
    for (let y = 0; y + 2 * s < height; y++) {
      for (let x = 0; x < stride; x++) {
        near += Math.abs(d[y * stride + x] - d[(y + s) * stride + x]);
        far += Math.abs(d[y * stride + x] - d[(y + 2 * s) * stride + x]);
      }
    }
    return near / Math.max(far, 1);
  });
  return ratios.reduce((a, b) => a + b, 0) / ratios.length;
}

describe('upframe upscale: interlaced input', () => {
  it.each(['tff', 'bff'] as const)('%s: detected, deinterlaced once with a notice; progressive output with every frame at its own pts', async (kind) => {
    const out = join(dir, `${kind}-out.mp4`);
    const report = join(dir, `${kind}.json`);
    const r = await upframe(['upscale', clips[kind], '-o', out, '--dedupe', 'off', '--report', report]);
    expect(r.code).toBe(0);
    expect(r.stderr.match(/warn: .*interlaced \(field_order (tt|bb)\); deinterlacing with bwdif/g)).toHaveLength(1);
    const json = JSON.parse(readFileSync(report, 'utf8'));
    expect(json.warnings).toEqual([expect.stringMatching(/interlaced \(field_order/)]);
    expect(await countFrames(out)).toBe(25);
    expect(await videoPacketTimes(out)).toEqual(await videoPacketTimes(clips[kind]));
    expect(await fieldOrder(out)).toBe('progressive');
    expect(await combing(out, 256, 192)).toBeLessThan(0.8);
  });

  it('--deinterlace off leaves the fields woven (and says nothing)', async () => {
    const out = join(dir, 'off-out.mp4');
    const r = await upframe(['upscale', clips.tff, '-o', out, '--dedupe', 'off', '--deinterlace', 'off']);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(/interlac/);
    expect(await countFrames(out)).toBe(25);
    expect(await combing(out, 256, 192)).toBeGreaterThan(1);
  });

  it('--deinterlace field: one frame per field, 50 fps, each at its own time', async () => {
    const out = join(dir, 'field-out.mp4');
    const r = await upframe(['upscale', clips.tff, '-o', out, '--dedupe', 'off', '--deinterlace', 'field', '--quiet']);
    expect(r.code).toBe(0);
    expect(await countFrames(out)).toBe(50);
    const times = await videoPacketTimes(out);
    times.forEach((t, i) => expect(t).toBeCloseTo(i * 0.02, 3));
    expect(await combing(out, 256, 192)).toBeLessThan(0.8);
  });

  it('an unknown --deinterlace is a usage error listing the modes', async () => {
    const r = await upframe(['upscale', clips.tff, '-o', join(dir, 'x.mp4'), '--deinterlace', 'yes']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/allowed: auto, off, frame, field/);
  });
});
