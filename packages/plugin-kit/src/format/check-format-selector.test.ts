import { describe, expect, it } from 'vitest';
import { BROKEN_SELECTORS } from '../fixtures/broken-selectors.js';
import { LosslessSelector } from '../fixtures/lossless-selector.js';
import { expectBreaks } from '../fixtures/expect-breaks.js';
import { formatViolations } from '../violation.js';
import { FORMAT_SELECTOR_INVARIANTS, checkFormatSelector } from './format-contract.js';

describe('checkFormatSelector', () => {
  it('passes the reference selector on every invariant', async () => {
    expect(formatViolations(await checkFormatSelector(() => new LosslessSelector(), { requiresLossless: true }))).toBe('');
  });

  it.each(FORMAT_SELECTOR_INVARIANTS)('rejects a selector that breaks %s', async (invariant) => {
    const fixture = BROKEN_SELECTORS[invariant];
    const { create } = fixture;
    const violations = await checkFormatSelector(create, { requiresLossless: true });
    expectBreaks(violations, invariant, fixture);
  });
});
