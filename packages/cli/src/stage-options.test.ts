import { describe, expect, it } from 'vitest';
import { createPluginHost, isUpframeError, silentLogger } from '@upframe/core';
import { setupContainer } from './container-setup.js';
import { resolveStageOptions, type StageOptionFlags } from './stage-options.js';

const FILE = '/project/upframe.config.json';
const CHOICE = { backend: 'onnx', dedupe: 'near', format: 'auto', lossy: false, quality: undefined as number | undefined };

async function resolveFor(choice: Partial<typeof CHOICE>, flags: StageOptionFlags = {}, defaults: Record<string, unknown> = {}) {
  const { container } = await setupContainer({ logger: silentLogger, config: false });
  return { container, options: resolveStageOptions(container, { ...CHOICE, ...choice }, flags, defaults, FILE) };
}

async function usage(fn: () => Promise<unknown>): Promise<Error & { hint?: string; file?: string }> {
  const error = await fn().then(() => undefined, (e: unknown) => e);
  expect(isUpframeError(error, 'USAGE')).toBe(true);
  return error as Error;
}

describe('stage options: --*-opt over config *Options, checked against the chosen stage\'s schema', () => {
  it('reach each stage typed, the flags merging over the config key by key', async () => {
    const { options } = await resolveFor(
      {},
      { backendOpt: ['maxBatch=1'], dedupeOpt: ['hi=512'], formatOpt: ['quality=80'] },
      { backendOptions: { maxBatch: 4, tensorrt: true }, dedupeOptions: { maxRunFrames: 10 }, formatOptions: { perFrame: 'yes' } },
    );
    expect(options).toEqual({
      backend: { maxBatch: 1, tensorrt: true },
      dedupe: { maxRunFrames: 10, hi: 512 },
      format: { perFrame: true, quality: 80 },
    });
  });

  it('an unknown key lists every key the stage declares, with its type', async () => {
    const e = await usage(() => resolveFor({}, { backendOpt: ['maxbatch=2'] }));
    expect(e.message).toMatch(/^unknown option "maxbatch" for backend onnx; allowed: maxBatch \(integer 1–64\), worker \(auto\|on\|off\), pixelsInGraph \(boolean\), spinning \(boolean\), tensorrt \(boolean\), ioLayout \(nchw\|nhwc\), /);
    expect(e.hint).toContain('did you mean "maxBatch"');
    const d = await usage(() => resolveFor({}, { dedupeOpt: ['threshold=3'] }));
    expect(d.message).toContain('for dedupe strategy near; allowed: hi (integer 0–16320), lo (integer 0–16320), frac (number 0–1)');
    const f = await usage(() => resolveFor({ format: 'tiff' }, { formatOpt: ['compression=zip'] }));
    expect(f.message).toBe('option "compression" for format selector tiff must be one of deflate, lzw, got "zip"');
  });

  it('a stage that declares no options accepts none', async () => {
    const e = await usage(() => resolveFor({ dedupe: 'off' }, { dedupeOpt: ['hi=3'] }));
    expect(e.message).toBe('dedupe strategy off declares no options, so "hi" cannot be set');
  });

  it('config options that do not fit the chosen stage name the file and the key they came from', async () => {
    const e = await usage(() => resolveFor({ backend: 'tfjs' }, {}, { backendOptions: { maxBatch: 2 } }));
    expect(e.message).toMatch(/^\/project\/upframe.config.json: unknown option "maxBatch" for backend tfjs; allowed: runtime \(tfjs-node-gpu\|tfjs-node\|wasm\|cpu\).*\(from "defaults.backendOptions"\)$/);
    expect(e.hint).toContain('applies to whichever backend runs (now tfjs)');
    expect(e.file).toBe(FILE);
  });

  it('--lossy is lossy=true for a selector that has it, an error for one that has not, and loses to an explicit lossy', async () => {
    expect((await resolveFor({ lossy: true })).options.format).toEqual({ lossy: true });
    expect((await resolveFor({ lossy: true }, { formatOpt: ['quality=70'] })).options.format).toEqual({ quality: 70, lossy: true });
    expect((await resolveFor({ lossy: true, format: 'webp' }, { formatOpt: ['lossy=false'] })).options.format).toEqual({ lossy: false });
    const e = await usage(() => resolveFor({ lossy: true, format: 'png' }));
    expect(e.message).toBe('--lossy does not apply to format selector png: it has no "lossy" option (allowed: compressionLevel (integer 0–9), adaptiveFiltering (boolean))');
  });

  it('auto takes what any registered backend declares, since it hands the options to each candidate', async () => {
    expect((await resolveFor({ backend: 'auto' }, { backendOpt: ['maxBatch=2', 'runtime=cpu'] })).options.backend).toEqual({ maxBatch: 2, runtime: 'cpu' });
    expect((await usage(() => resolveFor({ backend: 'auto' }, { backendOpt: ['nope=1'] }))).message).toMatch(/for backend auto; allowed: maxBatch/);
  });

  it('a plugin\'s stage is checked against the schema it declared', async () => {
    const { container } = await setupContainer({ logger: silentLogger, config: false });
    const host = createPluginHost(container, 'mine');
    host.backends.add({ name: 'mine', description: 'x', options: { strength: { type: 'integer', min: 1, max: 3, description: 'how much' } }, create: () => { throw new Error('not built here'); } });
    host.dedupe.add({ name: 'bare', description: 'no schema', create: () => { throw new Error('not built here'); } });
    const choice = { ...CHOICE, backend: 'mine' };
    expect(resolveStageOptions(container, choice, { backendOpt: ['strength=3'] }, {}, undefined).backend).toEqual({ strength: 3 });
    expect(() => resolveStageOptions(container, choice, { backendOpt: ['strength=4'] }, {}, undefined)).toThrow('option "strength" for backend mine must be an integer 1–3, got "4"');
    expect(() => resolveStageOptions(container, { ...choice, dedupe: 'bare' }, { dedupeOpt: ['x=1'] }, {}, undefined)).toThrow('dedupe strategy bare declares no options');
  });

  it('an unknown stage name is reported with the registered ones before any option is read', async () => {
    const error = await resolveFor({ dedupe: 'fuzzy' }).then(() => undefined, (e: unknown) => e);
    expect(isUpframeError(error, 'UNKNOWN_NAME')).toBe(true);
    expect((error as Error).message).toContain('unknown dedupe strategy "fuzzy"; registered: near, exact, off');
  });
});
