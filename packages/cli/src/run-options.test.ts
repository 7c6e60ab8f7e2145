import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { AUTO_BACKEND, DEFAULT_MAX_PIXELS, isUpframeError } from '@upframe/core';
import { DEFAULT_IN_FLIGHT } from '@upframe/core/internal';
import { DEFAULT_MODEL_ID } from '@upframe/models';
import { DEFAULT_PART_SECONDS } from '@upframe/io';
import { addRunOptions } from './commands/upscale.js';
import { configKeys, givenFlags, resolveRunSettings, RUN_OPTIONS, type RunOptionName } from './run-options.js';

const FILE = '/project/upframe.config.json';
const CONTEXT = { bestDedupe: 'near' };

/** Parses argv exactly as `upframe upscale` does, then resolves against `defaults`. */
function resolveWith(argv: readonly string[], defaults: Record<string, unknown> = {}) {
  const cmd = addRunOptions(new Command('t')).exitOverride();
  cmd.parse([...argv], { from: 'user' });
  return resolveRunSettings(givenFlags(cmd), defaults, FILE, CONTEXT);
}

function usage(fn: () => unknown): Error & { hint?: string; file?: string } {
  try {
    fn();
  } catch (error) {
    expect(isUpframeError(error, 'USAGE')).toBe(true);
    return error as Error;
  }
  throw new Error('expected a USAGE error');
}

interface Row {
  /** The flag and its argument; for switches, the switch. */
  readonly flag: readonly string[];
  readonly flagValue: unknown;
  /** A config value the flag must beat. */
  readonly beaten: unknown;
  /** A config value that must beat the built-in, and what it resolves to. */
  readonly config: unknown;
  readonly configValue: unknown;
  readonly builtIn: unknown;
}

// Every option of `upscale` and `demo`; the test below fails when one is added without a row.
const ROWS: Record<RunOptionName, Row> = {
  backend: { flag: ['--backend', 'tfjs'], flagValue: 'tfjs', beaten: 'lanczos', config: 'lanczos', configValue: 'lanczos', builtIn: AUTO_BACKEND },
  model: { flag: ['--model', 'esrgan-slim-x3'], flagValue: 'esrgan-slim-x3', beaten: 'esrgan-medium-x2', config: 'esrgan-medium-x2', configValue: 'esrgan-medium-x2', builtIn: DEFAULT_MODEL_ID },
  device: { flag: ['--device', 'cpu'], flagValue: 'cpu', beaten: 'cuda', config: 'cuda:1', configValue: 'cuda:1', builtIn: 'auto' },
  precision: { flag: ['--precision', 'fp32'], flagValue: 'fp32', beaten: 'fp16', config: 'fp16', configValue: 'fp16', builtIn: 'auto' },
  dedupe: { flag: ['--dedupe', 'exact'], flagValue: 'exact', beaten: 'off', config: 'off', configValue: 'off', builtIn: 'near' },
  format: { flag: ['--format', 'png'], flagValue: 'png', beaten: 'webp', config: 'webp', configValue: 'webp', builtIn: 'source' },
  lossy: { flag: ['--lossy'], flagValue: true, beaten: false, config: true, configValue: true, builtIn: false },
  quality: { flag: ['--quality', '80'], flagValue: 80, beaten: 50, config: 70, configValue: 70, builtIn: undefined },
  batch: { flag: ['--batch', '4'], flagValue: 4, beaten: 2, config: 2, configValue: 2, builtIn: 'auto' },
  tile: { flag: ['--tile', 'off'], flagValue: 'off', beaten: 256, config: 256, configValue: 256, builtIn: 'auto' },
  inFlight: { flag: ['--in-flight', '3'], flagValue: 3, beaten: 1, config: 1, configValue: 1, builtIn: DEFAULT_IN_FLIGHT },
  threads: { flag: ['--threads', '2'], flagValue: 2, beaten: 1, config: '1', configValue: 1, builtIn: undefined },
  maxPixels: { flag: ['--max-pixels', '1M'], flagValue: 1_000_000, beaten: 5, config: '8000x6000', configValue: 48_000_000, builtIn: DEFAULT_MAX_PIXELS },
  codec: { flag: ['--codec', 'libx265'], flagValue: 'libx265', beaten: 'libvpx-vp9', config: 'libvpx-vp9', configValue: 'libvpx-vp9', builtIn: undefined },
  crf: { flag: ['--crf', '18'], flagValue: 18, beaten: 30, config: 23, configValue: 23, builtIn: undefined },
  preset: { flag: ['--preset', 'fast'], flagValue: 'fast', beaten: 'slow', config: 'slow', configValue: 'slow', builtIn: undefined },
  pixFmt: { flag: ['--pix-fmt', 'yuv444p'], flagValue: 'yuv444p', beaten: 'yuv420p', config: 'yuv420p10le', configValue: 'yuv420p10le', builtIn: undefined },
  deinterlace: { flag: ['--deinterlace', 'off'], flagValue: 'off', beaten: 'field', config: 'frame', configValue: 'frame', builtIn: 'auto' },
  alpha: { flag: ['--alpha', 'drop'], flagValue: 'drop', beaten: 'keep', config: 'drop', configValue: 'drop', builtIn: 'keep' },
  background: { flag: ['--background', '#000'], flagValue: '#000', beaten: '#ffffff', config: '00ff00', configValue: '#00ff00', builtIn: '#ffffff' },
  partSeconds: { flag: ['--part-seconds', '30'], flagValue: 30, beaten: 10, config: 0, configValue: 0, builtIn: DEFAULT_PART_SECONDS },
  fresh: { flag: ['--fresh'], flagValue: true, beaten: undefined, config: undefined, configValue: undefined, builtIn: false },
  audio: { flag: ['--no-audio'], flagValue: false, beaten: true, config: false, configValue: false, builtIn: true },
  subtitles: { flag: ['--no-subtitles'], flagValue: false, beaten: true, config: false, configValue: false, builtIn: true },
  report: { flag: ['--report', 'a.json'], flagValue: 'a.json', beaten: 'b.json', config: 'b.json', configValue: 'b.json', builtIn: undefined },
  quiet: { flag: ['--quiet'], flagValue: true, beaten: false, config: true, configValue: true, builtIn: false },
  json: { flag: ['--json'], flagValue: true, beaten: false, config: true, configValue: true, builtIn: false },
  acceptDamaged: { flag: ['--accept-damaged'], flagValue: true, beaten: undefined, config: undefined, configValue: undefined, builtIn: false },
  overwrite: { flag: ['--overwrite'], flagValue: true, beaten: undefined, config: undefined, configValue: undefined, builtIn: false },
  allowOtherFiles: { flag: ['--allow-other-files'], flagValue: true, beaten: undefined, config: undefined, configValue: undefined, builtIn: false },
};
const NAMES = Object.keys(RUN_OPTIONS) as RunOptionName[];
const CONFIGURABLE = NAMES.filter((name) => !RUN_OPTIONS[name].flagOnly);

describe('run option precedence: flag > config defaults > built-in', () => {
  it('the table covers every option', () => {
    expect(Object.keys(ROWS).sort()).toEqual([...NAMES].sort());
  });

  it.each(CONFIGURABLE)('%s: the flag beats the config', (name) => {
    expect(resolveWith(ROWS[name].flag, { [name]: ROWS[name].beaten })[name]).toEqual(ROWS[name].flagValue);
  });

  it.each(CONFIGURABLE)('%s: the config beats the built-in default', (name) => {
    expect(resolveWith([], { [name]: ROWS[name].config })[name]).toEqual(ROWS[name].configValue);
  });

  it.each(NAMES)('%s: the built-in default applies with neither', (name) => {
    expect(resolveWith([])[name]).toEqual(ROWS[name].builtIn);
  });

  it.each(NAMES.filter((name) => RUN_OPTIONS[name].flagOnly))('%s: is consent for one run, so only a flag gives it', (name) => {
    expect(resolveWith(ROWS[name].flag)[name]).toBe(true);
    const e = usage(() => resolveWith([], { [name]: true }));
    expect(e.message).toContain(`unknown key "defaults.${name}"`);
    expect(e.hint).toContain('consent for one run');
  });

  it('--help shows each built-in default and its config key', () => {
    const help = addRunOptions(new Command('t')).helpInformation().replace(/\s+/g, ' ');
    expect(help).toContain('(default: auto; config "defaults.batch")');
    expect(help).toContain(`(default: ${DEFAULT_MODEL_ID}; config "defaults.model")`);
    expect(help).toContain('--backend-opt <key=value>');
  });

  it('commander sets nothing itself: no flag means every option comes from the config', () => {
    const cmd = addRunOptions(new Command('t')).exitOverride();
    cmd.parse([], { from: 'user' });
    expect(givenFlags(cmd)).toEqual({});
  });
});

describe('config defaults are checked by the flags\' own parsers', () => {
  it.each([
    ['batch', 0, /"defaults.batch" is invalid: --batch must be auto or a positive integer, got "0"/],
    ['tile', 4, /"defaults.tile" is invalid: --tile must be auto, off or an integer ≥ 8/],
    ['device', 'gpu', /"defaults.device" is invalid: --device must be auto, cpu, cuda or cuda:N/],
    ['precision', 'half', /"defaults.precision" is invalid: --precision must be one of auto, fp16, fp32, got "half"/],
    ['crf', 99, /"defaults.crf" is invalid: --crf must be a number from 0 to 63/],
    ['inFlight', 1.5, /"defaults.inFlight" is invalid: --in-flight must be a positive integer/],
    ['maxPixels', 'lots', /"defaults.maxPixels" is invalid: --max-pixels must be a pixel count/],
    ['lossy', 'yes', /"defaults.lossy" must be true or false, got "yes"/],
    ['backend', { name: 'onnx' }, /"defaults.backend" must be a string or a number/],
    ['model', '', /"defaults.model" is invalid: --model needs a value/],
  ])('a bad %s is a usage error naming the file and key', (key, value, message) => {
    const e = usage(() => resolveWith([], { [key]: value }));
    expect(e.message.startsWith(`${FILE}: `)).toBe(true);
    expect(e.message).toMatch(message);
    expect(e.file).toBe(FILE);
  });

  it('an unknown key lists every allowed key, and points kebab-case at camelCase', () => {
    const e = usage(() => resolveWith([], { 'max-pixels': '1M' }));
    expect(e.message).toBe(`${FILE}: unknown key "defaults.max-pixels"; allowed: ${configKeys().join(', ')}`);
    expect(e.message).toContain('backendOptions, dedupeOptions, formatOptions');
    expect(e.hint).toBe('Config keys are camelCase: "maxPixels".');
  });

  it('a bad flag value is refused by the same parser', () => {
    expect(() => resolveWith(['--batch', '0'])).toThrow('--batch must be auto or a positive integer, got "0"');
    expect(() => resolveWith(['--alpha', 'flatten'])).toThrow('--alpha must be keep or drop, got "flatten"');
    expect(() => resolveWith(['--background', 'white'])).toThrow(/--background: "white" is not a colour; write it as #rrggbb/);
    expect(() => resolveWith(['--precision', 'bf16'])).toThrow('--precision must be one of auto, fp16, fp32, got "bf16"');
  });
});
