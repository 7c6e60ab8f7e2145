import { describe, expect, it } from 'vitest';
import { resolveRunSettings } from '../run-options.js';
import { fromJobSettings, toJobSettings } from './job-settings.js';

const resolved = (flags: Record<string, unknown>) => resolveRunSettings(flags, {}, undefined, { bestDedupe: 'near' });

describe('cluster job settings', () => {
  it('carry the pixel-affecting options (not the worker\'s device or threads) and come back as the same settings', () => {
    const s = resolved({ model: 'esrgan-slim-x2', codec: 'ffv1', crf: 18, pixFmt: 'yuv444p', batch: 2, audio: false, device: 'cuda:1', threads: 3 });
    const job = toJobSettings(s, { backend: { maxBatch: 4 }, dedupe: {}, format: {} });
    expect(job).toMatchObject({ model: 'esrgan-slim-x2', codec: 'ffv1', crf: 18, 'pix-fmt': 'yuv444p', batch: 2, audio: false, 'backend-options': '{"maxBatch":4}' });
    expect(Object.keys(job)).not.toContain('device');
    expect(Object.keys(job)).not.toContain('threads');
    const { flags, defaults } = fromJobSettings(job);
    const back = resolved(flags);
    for (const key of ['model', 'codec', 'crf', 'pixFmt', 'batch', 'audio', 'dedupe', 'maxPixels'] as const) expect(back[key]).toEqual(s[key]);
    expect(defaults).toEqual({ backendOptions: { maxBatch: 4 }, dedupeOptions: {} });
  });

  it.each([
    ['a plugin', { plugin: './evil.mjs' }, /"plugin" is not an option a job may set/],
    ['a report file', { report: '/etc/passwd' }, /"report" is not an option a job may set/],
    ['the worker\'s device', { device: 'cuda:0' }, /"device" is not an option a job may set/],
    ['a bad value', { crf: 'lots' }, /--crf/],
    ['a switch that is text', { overwrite: 'yes' }, /"overwrite" must be true or false/],
    ['stage options that are not JSON', { 'backend-options': '{' }, /"backend-options" is not JSON/],
  ])('refuse %s', (_what, settings, message) => {
    expect(() => fromJobSettings(settings)).toThrow(message);
  });
});
