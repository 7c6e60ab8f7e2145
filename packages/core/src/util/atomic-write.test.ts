import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from './atomic-write.js';

describe('writeFileAtomic', () => {
  it('creates the directory, writes the content and leaves no temporary file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'upframe-atomic-'));
    const file = join(dir, 'nested', 'a.json');
    await writeFileAtomic(file, '{"ok":true}');
    await writeFileAtomic(file, '{"ok":2}');
    expect(readFileSync(file, 'utf8')).toBe('{"ok":2}');
    expect(readdirSync(join(dir, 'nested'))).toEqual(['a.json']);
  });

  it('removes the temporary file when the rename fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'upframe-atomic-'));
    // Renaming a file onto an existing directory fails.
    await writeFileAtomic(join(dir, 'target', 'x'), 'x');
    await expect(writeFileAtomic(join(dir, 'target'), 'y')).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(['target']);
  });
});
