import { describe, expect, it } from 'vitest';
import { BROKEN_BACKENDS } from '../fixtures/broken-backends.js';
import { NearestBackend } from '../fixtures/nearest-backend.js';
import { expectBreaks } from '../fixtures/expect-breaks.js';
import { formatViolations } from '../violation.js';
import { BACKEND_INVARIANTS, checkBackend } from './backend-contract.js';

const declared = { scale: 2, maxBatch: 4, deterministic: true } as const;

describe('checkBackend', () => {
  it('passes the reference backend on every invariant', async () => {
    const violations = await checkBackend(() => new NearestBackend(), { ...declared, failingFactory: () => new NearestBackend({ model: 'missing' }) });
    expect(formatViolations(violations)).toBe('');
  });

  it.each(BACKEND_INVARIANTS)('rejects a backend that breaks %s', async (invariant) => {
    const fixture = BROKEN_BACKENDS[invariant];
    const { create } = fixture;
    const violations = await checkBackend(() => create(), { ...declared, failingFactory: () => create({ model: 'missing' }) });
    expectBreaks(violations, invariant, fixture);
  });

  it('skips determinism unless declared, and runs only what `only` names', async () => {
    const noisy = BROKEN_BACKENDS.deterministic.create;
    expect(await checkBackend(() => noisy(), { only: ['deterministic'] })).toEqual([]);
    const violations = await checkBackend(() => noisy(), { deterministic: true, only: ['deterministic'] });
    expect(violations.map((v) => v.invariant)).toEqual(['deterministic']);
  });

  it('reports a plugin that never settles instead of hanging', async () => {
    class Hangs extends NearestBackend {
      override run() {
        return new Promise<never>(() => undefined);
      }
    }
    const violations = await checkBackend(() => new Hangs(), { only: ['output-count'], timeoutMs: 50 });
    expect(violations).toEqual([{ invariant: 'output-count', message: expect.stringContaining('did not finish within 50 ms') }]);
  });
});
