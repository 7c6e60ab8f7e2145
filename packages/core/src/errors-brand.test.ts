import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as errors from './errors.js';
import { cancelledError, isUpframeError, OrderViolationError, StageError, tagPluginError, UpframeError } from './errors.js';

// A second, separate copy of the errors module: the built file under another URL is another
// module instance with its own classes, as when a plugin brings its own @upframe/core.
const built = fileURLToPath(new URL('../dist/errors.js', import.meta.url));
const loadCopy = async (): Promise<typeof errors> => import(/* @vite-ignore */ `${pathToFileURL(built).href}?copy=2`);

describe('errors survive two copies of core', () => {
  it('the copy really is another module with other classes', async () => {
    expect(existsSync(built), 'build core first: npx turbo run build --filter=@upframe/core').toBe(true);
    const copy = await loadCopy();
    expect(copy.UpframeError).not.toBe(UpframeError);
    expect(Object.getPrototypeOf(new copy.UpframeError('USAGE', 'x'))).not.toBe(UpframeError.prototype);
  });

  it('an error from the other copy is recognised by brand, code and all', async () => {
    const copy = await loadCopy();
    const foreign = new copy.UpframeError('MODEL_INVALID', 'bad weights', { hint: 're-download it' });
    expect(isUpframeError(foreign)).toBe(true);
    expect(isUpframeError(foreign, 'MODEL_INVALID')).toBe(true);
    expect(isUpframeError(foreign, 'USAGE')).toBe(false);
    expect(foreign instanceof UpframeError).toBe(true);
    const tagged = tagPluginError('other', foreign);
    expect(tagged).toBe(foreign);
    expect(tagged).toMatchObject({ code: 'MODEL_INVALID', plugin: 'other', hint: 're-download it' });
    // And the other way round, and through StageError (cancellation keeps its code).
    expect(copy.isUpframeError(new UpframeError('DISK_FULL', 'full'), 'DISK_FULL')).toBe(true);
    expect(new StageError('infer', 3, 'x', copy.cancelledError('stop')).code).toBe('CANCELLED');
    expect(new StageError('infer', 3, 'x', foreign)).toMatchObject({ code: 'STAGE_FAILED', hint: 're-download it' });
  });

  it('the brand is not enumerable, so reports and JSON do not carry it', () => {
    const e = new UpframeError('USAGE', 'x');
    expect(Object.getOwnPropertySymbols(e)).toEqual([]);
    expect(JSON.parse(JSON.stringify({ ...e }))).not.toHaveProperty('upframe.error');
  });

  it('subclasses keep ordinary instanceof; plain errors and look-alikes are not upframe errors', () => {
    expect(new OrderViolationError('x', 1) instanceof UpframeError).toBe(true);
    expect(new OrderViolationError('x', 1) instanceof StageError).toBe(false);
    expect(cancelledError() instanceof OrderViolationError).toBe(false);
    expect(new Error('x') instanceof UpframeError).toBe(false);
    expect(isUpframeError({ code: 'USAGE', message: 'x' })).toBe(false);
    expect(isUpframeError(null)).toBe(false);
  });
});

describe('errors thrown by plugins', () => {
  it('a plain Error with a code from ERROR_CODES keeps it, tagged with the plugin', () => {
    const thrown = Object.assign(new Error('lanczos runs on the CPU only'), { code: 'DEVICE_UNAVAILABLE' });
    const tagged = tagPluginError('lanczos', thrown);
    expect(tagged).toBeInstanceOf(UpframeError);
    expect(tagged).toMatchObject({ code: 'DEVICE_UNAVAILABLE', plugin: 'lanczos', message: '[lanczos] lanczos runs on the CPU only', cause: thrown });
  });

  it('a code upframe does not know (a Node errno, a typo) becomes INTERNAL, the original kept as cause', () => {
    const thrown = Object.assign(new Error('nope'), { code: 'ENOENT' });
    expect(tagPluginError('p', thrown)).toMatchObject({ code: 'INTERNAL', plugin: 'p', cause: thrown });
    expect(tagPluginError('p', 'a string')).toMatchObject({ code: 'INTERNAL', message: '[p] a string' });
  });
});
