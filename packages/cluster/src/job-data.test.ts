import { describe, expect, it } from 'vitest';
import { parseJoinJobData, parsePartJobData } from './job-data.js';

const part = () => ({ version: 1, job: 'uf-1', input: '/media/in.mkv', output: '/media/out.mkv', part: { index: 1, count: 3, firstFrame: 100, endFrame: 200, startPts: 4000, originPts: 0 }, settings: { model: 'esrgan-slim-x2', crf: 18, overwrite: false } });

describe('job payloads', () => {
  it('accepts what submit writes', () => {
    expect(parsePartJobData(part())).toEqual(part());
    const join = { version: 1, job: 'uf-1', input: '/a/in.mkv', output: '/a/out.mkv', parts: 3, frames: 250, settings: {} };
    expect(parseJoinJobData(join)).toEqual(join);
  });

  it.each([
    ['another version', (d: any) => (d.version = 2), /version 2; this worker reads version 1/],
    ['a relative path', (d: any) => (d.input = 'in.mkv'), /"input" must be an absolute path/],
    ['an unknown field', (d: any) => (d.plugin = './evil.js'), /unknown field\(s\) "plugin"/],
    ['a part past the count', (d: any) => (d.part.index = 3), /part 3 of 3 does not exist/],
    ['an empty range', (d: any) => (d.part.endFrame = 100), /has no frames/],
    ['a setting that is code', (d: any) => (d.settings.backend = { require: 'x' }), /setting "backend" must be a string/],
    ['a setting name that is no option', (d: any) => (d.settings['__proto__x'] = 1), /is not an option name/],
    ['a part without its timeline origin', (d: any) => delete d.part.originPts, /"originPts" must be an integer/],
    ['a NUL in a path', (d: any) => (d.output = '/a\0b'), /"output" must be a non-empty string/],
  ])('refuses %s with JOB_INVALID', (_what, change, message) => {
    const d = part();
    change(d);
    expect(() => parsePartJobData(d)).toThrow(message);
    try {
      parsePartJobData(d);
    } catch (e) {
      expect((e as { code: string }).code).toBe('JOB_INVALID');
    }
  });
});
