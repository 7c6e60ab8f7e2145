import { describe, expect, it } from 'vitest';
import { BROKEN_DEDUPE } from '../fixtures/broken-dedupe.js';
import { ByteExactDedupe } from '../fixtures/byte-exact-dedupe.js';
import { expectBreaks } from '../fixtures/expect-breaks.js';
import { formatViolations } from '../violation.js';
import { DEDUPE_INVARIANTS, checkDedupe } from './dedupe-contract.js';

describe('checkDedupe', () => {
  it('passes the reference strategy on every invariant', async () => {
    expect(formatViolations(await checkDedupe(() => new ByteExactDedupe(), { detectsIdentical: true }))).toBe('');
  });

  it.each(DEDUPE_INVARIANTS)('rejects a strategy that breaks %s', async (invariant) => {
    const fixture = BROKEN_DEDUPE[invariant];
    const { create } = fixture;
    const violations = await checkDedupe(create, { detectsIdentical: true });
    expectBreaks(violations, invariant, fixture);
  });

  it('accepts a strategy that finds nothing when it does not claim to', async () => {
    expect(await checkDedupe(BROKEN_DEDUPE['identical-detected'].create)).toEqual([]);
  });
});
