import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveFfmpegBinaries } from '@upframe/io';
import { beforeAll, describe, expect, it } from 'vitest';
import { ffmpeg, tempDir, upframe } from './test-support/cli-harness.js';

// Nothing about the user's file changes without a word: cover art stays, odd sizes are either
// exact or padded with a warning, and WebM timestamps stay where they were.

const dir = tempDir();
const withCover = join(dir, 'cover.mp4');
const odd = join(dir, 'odd.mkv');
const webm = join(dir, 'clip.webm');
const withFont = join(dir, 'font.mkv');

interface ProbeStream { index: number; codec_type: string; codec_name: string; width: number; height: number; disposition?: Record<string, number> }

async function probeStreams(file: string): Promise<ProbeStream[]> {
  const { ffprobe } = await resolveFfmpegBinaries();
  const r = spawnSync(ffprobe.path, ['-v', 'error', '-show_streams', '-of', 'json', file], { encoding: 'utf8' });
  return (JSON.parse(r.stdout) as { streams: ProbeStream[] }).streams;
}

/** Packet pts (s) of one stream type, in presentation order. */
async function packetTimes(file: string, stream: 'v:0' | 'a:0'): Promise<number[]> {
  const { ffprobe } = await resolveFfmpegBinaries();
  const r = spawnSync(ffprobe.path, ['-v', 'error', '-select_streams', stream, '-show_entries', 'packet=pts_time', '-of', 'csv=p=0', file], { encoding: 'utf8' });
  return r.stdout.trim().split('\n').map(Number).sort((a, b) => a - b);
}

const count = (text: string, needle: string) => text.split(needle).length - 1;

beforeAll(async () => {
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=64x48:rate=12:duration=1', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=1', '-f', 'lavfi', '-i', 'color=red:size=32x32:duration=0.1',
    '-map', '0:v', '-map', '1:a', '-map', '2:v', '-frames:v:1', '1', '-c:v:0', 'libx264', '-pix_fmt:v:0', 'yuv420p', '-c:v:1', 'png', '-disposition:v:1', 'attached_pic', '-c:a', 'aac', withCover]);
  // 65×49 needs an RGB codec: every 4:2:0 one rounds the size to even.
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=65x49:rate=12:duration=0.5', '-pix_fmt', 'rgb24', '-c:v', 'png', odd]);
  writeFileSync(join(dir, 'font.ttf'), 'not really a font');
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=64x48:rate=12:duration=0.5', '-c:v', 'libx264', '-attach', join(dir, 'font.ttf'), '-metadata:s:t', 'mimetype=application/x-truetype-font', withFont]);
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=64x48:rate=12:duration=1', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=1', '-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-c:a', 'libopus', webm]);
});

describe('no silent change', () => {
  it('keeps cover art (attached_pic) in an MP4 output', async () => {
    const out = join(dir, 'cover-out.mp4');
    const r = await upframe(['upscale', withCover, '-o', out, '--dedupe', 'off', '--quiet']);
    expect(r.code).toBe(0);
    const streams = await probeStreams(out);
    expect(streams.map((s) => s.codec_type)).toEqual(['video', 'audio', 'video']);
    expect(streams[0].width).toBe(128);
    expect(streams[2]).toMatchObject({ codec_name: 'png', width: 32, height: 32 });
    expect(streams[2].disposition?.attached_pic).toBe(1);
  });

  it('says once when cover art cannot be kept (WebM)', async () => {
    const out = join(dir, 'cover-out.webm');
    const report = join(dir, 'cover-webm.json');
    const r = await upframe(['upscale', withCover, '-o', out, '--dedupe', 'off', '--report', report]);
    expect(r.code).toBe(0);
    expect(count(r.stderr, 'cover art #2 png dropped')).toBe(1);
    expect(JSON.parse(readFileSync(report, 'utf8')).warnings).toEqual(expect.arrayContaining([expect.stringMatching(/cover art #2 png dropped.*\.mp4/)]));
  });

  it('keeps a Matroska attachment (a font) in MKV', async () => {
    const out = join(dir, 'font-out.mkv');
    const r = await upframe(['upscale', withFont, '-o', out, '--dedupe', 'off', '--quiet']);
    expect(r.code).toBe(0);
    expect((await probeStreams(out)).map((s) => `${s.codec_type}:${s.codec_name}`)).toEqual(['video:h264', 'attachment:ttf']);
  });

  it('an odd size comes out exact where it can, else padded with one warning', async () => {
    const even = join(dir, 'odd-x2.mp4');
    const x2 = await upframe(['upscale', odd, '-o', even, '--dedupe', 'off']);
    expect(x2.code).toBe(0);
    expect(x2.stderr).not.toMatch(/padded/);
    expect((await probeStreams(even))[0]).toMatchObject({ width: 130, height: 98 });

    const padded = join(dir, 'odd-x3.mp4');
    const report = join(dir, 'odd-x3.json');
    const x3 = await upframe(['upscale', odd, '-o', padded, '--model', 'esrgan-slim-x3', '--dedupe', 'off', '--report', report]);
    expect(x3.code).toBe(0);
    expect(count(x3.stderr, 'warn: padded 195x147 to 196x148')).toBe(1);
    expect(x3.stderr).toMatch(/--pix-fmt yuv444p/);
    expect(JSON.parse(readFileSync(report, 'utf8')).warnings).toEqual(expect.arrayContaining([expect.stringMatching(/^padded 195x147/)]));

    const exact = join(dir, 'odd-x3-444.mp4');
    const x3exact = await upframe(['upscale', odd, '-o', exact, '--model', 'esrgan-slim-x3', '--pix-fmt', 'yuv444p', '--dedupe', 'off']);
    expect(x3exact.code).toBe(0);
    expect(x3exact.stderr).not.toMatch(/padded/);
    expect((await probeStreams(exact))[0]).toMatchObject({ width: 195, height: 147 });
  });

  it('WebM with Opus audio: video pts and audio start equal the input’s (within one tick)', async () => {
    const out = join(dir, 'clip-out.webm');
    const r = await upframe(['upscale', webm, '-o', out, '--dedupe', 'off', '--quiet']);
    expect(r.code).toBe(0);
    const [videoIn, videoOut] = [await packetTimes(webm, 'v:0'), await packetTimes(out, 'v:0')];
    const [audioIn, audioOut] = [await packetTimes(webm, 'a:0'), await packetTimes(out, 'a:0')];
    // The input starts before zero (Opus codec delay), which used to move the video 7 ms late.
    expect(audioIn[0]).toBeLessThan(0);
    expect(videoOut).toHaveLength(videoIn.length);
    videoOut.forEach((t, i) => expect(Math.abs(t - videoIn[i])).toBeLessThanOrEqual(0.001));
    expect(Math.abs(audioOut[0] - audioIn[0])).toBeLessThanOrEqual(0.001);
  });
});
