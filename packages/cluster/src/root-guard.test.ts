import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assertInsideRoots, insideRoots } from './root-guard.js';

const base = mkdtempSync(join(tmpdir(), 'upframe-roots-'));
const root = join(base, 'shared');
const outside = join(base, 'private');
mkdirSync(join(root, 'in'), { recursive: true });
mkdirSync(outside);
writeFileSync(join(outside, 'secret.mkv'), 'x');
symlinkSync(outside, join(root, 'escape'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('worker roots', () => {
  it('allows paths inside a root, existing or not yet written', () => {
    expect(insideRoots(join(root, 'in'), [root])).toBe(true);
    expect(insideRoots(join(root, 'out', 'new', 'film.mkv'), [root])).toBe(true);
  });

  it('refuses .. and links that lead out of the root', () => {
    expect(insideRoots(join(root, '..', 'private', 'secret.mkv'), [root])).toBe(false);
    expect(insideRoots(join(root, 'escape', 'secret.mkv'), [root])).toBe(false);
    expect(insideRoots(join(root, 'escape', 'new.mkv'), [root])).toBe(false);
    expect(insideRoots(`${root}-other/x.mkv`, [root])).toBe(false);
  });

  it('names the path and the roots in a PATH_OUTSIDE_ROOT error', () => {
    const path = join(outside, 'secret.mkv');
    expect(() => assertInsideRoots(path, [root], 'input')).toThrow(expect.objectContaining({ code: 'PATH_OUTSIDE_ROOT', message: expect.stringContaining(path) }));
    expect(() => assertInsideRoots(path, [], 'input')).toThrow(/at least one --root/);
  });
});
