import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMemoryLogger, type SinkOpenInfo, type UpframeError } from '@upframe/core';
import { CRF_RANGES, checkCrf } from './crf-range.js';
import { encoderSettings } from './encoder-args.js';
import { FfmpegSink } from './ffmpeg-sink.js';

const failure = (f: () => unknown) => {
  try {
    f();
  } catch (error) {
    return error as UpframeError;
  }
  return undefined;
};

describe('crf per codec', () => {
  it('refuses --crf 60 for x264 (0-51), naming the codec and its range', () => {
    const error = failure(() => encoderSettings('mp4', 'rgb24', { crf: 60 }));
    expect(error).toMatchObject({ code: 'USAGE', message: '--crf 60 is out of range for libx264: it takes 0–51 (lower is better quality)' });
    expect(error?.hint).toMatch(/0 to 51/);
    expect(failure(() => encoderSettings('mkv', 'rgb24', { codec: 'libx265', crf: 52 }))?.message).toMatch(/libx265: it takes 0–51/);
    expect(failure(() => encoderSettings('mkv', 'rgb24', { crf: -1 }))?.code).toBe('USAGE');
  });

  it('accepts each codec\'s whole range, the ends included', () => {
    expect(encoderSettings('mp4', 'rgb24', { crf: 51 }).settings.crf).toBe(51);
    expect(encoderSettings('mp4', 'rgb24', { crf: 0 }).settings.crf).toBe(0);
    expect(encoderSettings('webm', 'rgb24', { crf: 63 }).settings).toMatchObject({ codec: 'libvpx-vp9', crf: 63 });
    expect(failure(() => encoderSettings('webm', 'rgb24', { crf: 64 }))?.message).toMatch(/libvpx-vp9: it takes 0–63/);
    for (const [codec, [min, max]] of Object.entries(CRF_RANGES)) {
      expect(checkCrf(codec, min)).toBeUndefined();
      expect(checkCrf(codec, max)).toBeUndefined();
      expect(() => checkCrf(codec, max + 1)).toThrow(new RegExp(`${codec}: it takes ${min}–${max}`));
    }
  });

  it('passes a crf to an encoder of unknown range as given, with a note', () => {
    const { settings, notes } = encoderSettings('mkv', 'rgb24', { codec: 'h264_nvenc', crf: 60 });
    expect(settings.crf).toBe(60);
    expect(notes).toEqual(['crf 60 passed to h264_nvenc as given: upframe does not know its range (an encoder without a crf option ignores it)']);
    expect(encoderSettings('mkv', 'rgb24', { codec: 'h264_nvenc' }).notes).toEqual([]);
  });

  it('FfmpegSink.open refuses it before touching the disk or starting ffmpeg', async () => {
    const source = { kind: 'sequence' as const, path: '/nowhere', width: 8, height: 8, layout: 'rgb24' as const, timeBase: { num: 1, den: 25 }, variableFrameRate: false };
    const info: SinkOpenInfo = { source, width: 8, height: 8, layout: 'rgb24' };
    // A folder that does not exist stays absent: the refusal comes before the output's folder is made.
    const output = join('/nonexistent-upframe-test', 'out.mp4');
    const error = await new FfmpegSink({ output, extra: { crf: 60 } }, createMemoryLogger()).open(info).then(() => undefined, (e: unknown) => e as UpframeError);
    expect(error).toMatchObject({ code: 'USAGE', message: expect.stringMatching(/--crf 60 is out of range for libx264/) });
    expect(existsSync('/nonexistent-upframe-test')).toBe(false);
  });
});
