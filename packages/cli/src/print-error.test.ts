import { describe, expect, it } from 'vitest';
import { StageError, UpframeError } from '@upframe/core';
import { EXIT } from './exit-codes.js';
import { exitCodeFor, formatError } from './print-error.js';

describe('exit codes', () => {
  it('a stage that refuses its settings before any frame (a sink told to drop transparency silently) is a usage error', () => {
    const refusal = new UpframeError('USAGE', '/in/anim.gif has transparency, which no MP4 video codec here can store', { file: '/in/anim.gif', hint: 'pass --alpha drop' });
    const atOpen = new StageError('encode', undefined, 'video', refusal);
    expect(exitCodeFor(atOpen)).toBe(EXIT.usage);
    expect(formatError(atOpen)).toMatch(/hint: pass --alpha drop/);
    // Mid-run, or for a reason that is not a usage mistake, the run failed: exit 1.
    expect(exitCodeFor(new StageError('encode', 4, 'image', refusal))).toBe(EXIT.failed);
    expect(exitCodeFor(new StageError('encode', undefined, 'video', new UpframeError('OUTPUT_EXISTS', 'appeared meanwhile')))).toBe(EXIT.failed);
    expect(exitCodeFor(refusal)).toBe(EXIT.usage);
  });
});
