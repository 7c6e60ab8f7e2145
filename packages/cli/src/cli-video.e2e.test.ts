import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { countFrames, ffmpeg, ffprobe, listDir, tempDir, upframe } from './test-support/cli-harness.js';

const dir = tempDir();
const clip = join(dir, 'clip.mp4');

beforeAll(async () => {
  // 1 s of real-looking motion at 12 fps, 64×48, with audio and a subtitle track.
  writeFileSync(join(dir, 'subs.srt'), '1\n00:00:00,000 --> 00:00:00,900\nhello\n');
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=64x48:rate=12:duration=1', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=1', '-i', join(dir, 'subs.srt'),
    '-map', '0:v', '-map', '1:a', '-map', '2:s', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-c:s', 'mov_text', clip]);
});

describe('upframe upscale video → video', () => {
  it('doubles the size, keeps every frame, audio and subtitles, and writes the report', async () => {
    const out = join(dir, 'out.mp4');
    const report = join(dir, 'report.json');
    const r = await upframe(['upscale', clip, '-o', out, '--report', report, '--dedupe', 'off', '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const probe = await ffprobe(out);
    expect(probe.streams.map((s) => s.codec_type)).toEqual(['video', 'audio', 'subtitle']);
    expect(probe.streams[0].width).toBe(128);
    expect(await countFrames(out)).toBe(12);
    expect(Number(probe.format.duration)).toBeCloseTo(1, 1);
    const json = JSON.parse(readFileSync(report, 'utf8'));
    expect(Object.keys(json)).toEqual(expect.arrayContaining(['input', 'output', 'backend', 'model', 'frames', 'timings', 'warnings', 'errors']));
    expect(json.frames).toEqual({ total: 12, inferred: 12, duplicates: 0, written: 12, missing: [] });
    expect(json.model).toEqual({ id: 'esrgan-slim-x2', scale: 2 });
    expect(json.backend.name).toBe('onnx');
    expect(Object.keys(json.timings.stages)).toEqual(['decode', 'dedupe', 'infer', 'encode']);
    expect(json.output).toBe(out);
    // No --preset: the encoder gets the slowest preset within 5% of the model's CPU time, and the report says which.
    expect(json.details.sink).toEqual(expect.arrayContaining([expect.stringMatching(/^encoder preset veryfast: the encoder takes ~\d+% of the model's CPU time/)]));
    expect(json.details.batches).toMatchObject({ planned: json.details.plan.batch });
    expect(json.details.cpuSeconds).toMatchObject({ encode: expect.any(Number), join: expect.any(Number) });
  });

  it('--no-audio --no-subtitles drop those streams; --json prints NDJSON ending with the report', async () => {
    const out = join(dir, 'silent.mkv');
    const r = await upframe(['upscale', clip, '-o', out, '--no-audio', '--no-subtitles', '--json', '--batch', '2']);
    expect(r.code).toBe(0);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(events[0].event).toBe('start');
    expect(events.some((e) => e.event === 'progress')).toBe(true);
    expect(events.at(-1).event).toBe('done');
    expect(events.at(-1).report.frames.written).toBe(12);
    expect((await ffprobe(out)).streams.map((s) => s.codec_type)).toEqual(['video']);
  });

  it('refuses to overwrite an existing output without --overwrite, and leaves it untouched', async () => {
    const out = join(dir, 'exists.mp4');
    writeFileSync(out, 'precious');
    const r = await upframe(['upscale', clip, '-o', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/upframe: error: .*exists\.mp4/);
    expect(readFileSync(out, 'utf8')).toBe('precious');
  });

  it('Ctrl-C stops the run with exit 130 and leaves no output or temporary file', async () => {
    const work = tempDir();
    const long = join(work, 'long.mp4');
    await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=128x96:rate=24:duration=20', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', long]);
    const out = join(work, 'long-x2.mp4');
    const r = await upframe(['upscale', long, '-o', out, '--dedupe', 'off'], {
      onSpawn: (child) => {
        child.stderr?.on('data', (d: Buffer) => {
          if (/frames/.test(String(d))) child.kill('SIGINT');
        });
      },
    });
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/cancelled|stopping/);
    expect(existsSync(out)).toBe(false);
    expect(listDir(work)).toEqual(['long.mp4']);
  });
});
