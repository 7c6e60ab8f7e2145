import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

// In a fresh Node process, as the CLI starts: the built package, not vitest's module graph (which
// other test files share).
const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const script = `
import 'reflect-metadata';
import { createRequire } from 'node:module';
const sharpLoaded = () => Object.keys(createRequire(import.meta.url).cache).some((k) => /[\\\\/]sharp[\\\\/]/.test(k));
const io = await import(${JSON.stringify(pathToFileURL(dist).href)});
const before = sharpLoaded();
io.writableImageFormats();
console.log(JSON.stringify({ before, after: sharpLoaded() }));
`;

describe('lazy loading', () => {
  it('importing the package does not load sharp; the first image operation does', () => {
    expect(existsSync(dist)).toBe(true);
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', cwd: fileURLToPath(new URL('..', import.meta.url)) });
    expect(JSON.parse(out.trim().split('\n').at(-1)!)).toEqual({ before: false, after: true });
  });
});
