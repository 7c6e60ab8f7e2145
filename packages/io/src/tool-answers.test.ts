import { chmodSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileToolAnswers } from './tool-answers.js';

const dir = mkdtempSync(join(tmpdir(), 'upframe-answers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fakeBinary(name: string, body = '#!/bin/sh\nexit 0\n'): string {
  const path = join(dir, name);
  writeFileSync(path, body);
  chmodSync(path, 0o755);
  return path;
}

describe('tool answers kept on disk', () => {
  it('answers again in a new process (a new reader of the same file)', () => {
    const file = join(dir, 'a.json');
    const bin = fakeBinary('ffmpeg-a');
    fileToolAnswers(file).set(bin, ['-version'], 'ffmpeg version 5.1');
    expect(fileToolAnswers(file).get(bin, ['-version'])).toBe('ffmpeg version 5.1');
    expect(fileToolAnswers(file).get(bin, ['-filters'])).toBeUndefined();
  });

  it('forgets the answer once the binary is replaced (size or mtime changed)', () => {
    const file = join(dir, 'b.json');
    const bin = fakeBinary('ffmpeg-b');
    fileToolAnswers(file).set(bin, ['-version'], 'old');
    writeFileSync(bin, '#!/bin/sh\necho new build\n');
    utimesSync(bin, new Date(), new Date(Date.now() + 60_000));
    expect(fileToolAnswers(file).get(bin, ['-version'])).toBeUndefined();
  });

  it('a missing binary has no answers, and a damaged answers file is ignored', () => {
    const file = join(dir, 'c.json');
    writeFileSync(file, '{"half": ');
    const answers = fileToolAnswers(file);
    expect(answers.get(join(dir, 'nope'), ['-version'])).toBeUndefined();
    const bin = fakeBinary('ffmpeg-c');
    expect(answers.get(bin, ['-version'])).toBeUndefined();
    answers.set(bin, ['-version'], 'v');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ [Object.keys(JSON.parse(readFileSync(file, 'utf8')))[0]]: 'v' });
  });

  it('keeps at most 256 answers, dropping the oldest', () => {
    const file = join(dir, 'd.json');
    const bin = fakeBinary('ffmpeg-d');
    const answers = fileToolAnswers(file);
    for (let i = 0; i < 300; i++) answers.set(bin, [`q${i}`], String(i));
    const fresh = fileToolAnswers(file);
    expect(fresh.get(bin, ['q0'])).toBeUndefined();
    expect(fresh.get(bin, ['q299'])).toBe('299');
    expect(Object.keys(JSON.parse(readFileSync(file, 'utf8')))).toHaveLength(256);
  });
});
