import type { FrameSource } from '@upframe/core/plugin';
import { describe, expect, it } from 'vitest';
import { ARRAY_SOURCE, ArraySource } from '../fixtures/array-source.js';
import { BROKEN_SOURCES } from '../fixtures/broken-sources.js';
import { expectBreaks } from '../fixtures/expect-breaks.js';
import { formatViolations } from '../violation.js';
import { SOURCE_INVARIANTS, checkSource, type SourceContractOptions } from './source-contract.js';

const options = (create: (path?: string) => FrameSource): SourceContractOptions => ({
  expectedFrames: ARRAY_SOURCE.frames,
  expected: ARRAY_SOURCE,
  badInput: () => create('missing.mkv'),
  badInputPath: 'missing.mkv',
  // break-releases' fixture hangs on purpose.
  timeoutMs: 1000,
});

describe('checkSource', () => {
  it('passes the reference source on every invariant', async () => {
    const create = (path?: string) => new ArraySource(path);
    expect(formatViolations(await checkSource(() => create(), options(create)))).toBe('');
  });

  it.each(SOURCE_INVARIANTS)('rejects a source that breaks %s', async (invariant) => {
    const fixture = BROKEN_SOURCES[invariant];
    const { create } = fixture;
    const violations = await checkSource(() => create(), options(create));
    expectBreaks(violations, invariant, fixture);
  });
});
