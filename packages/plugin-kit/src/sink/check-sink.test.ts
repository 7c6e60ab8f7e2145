import { describe, expect, it } from 'vitest';
import { BROKEN_SINKS } from '../fixtures/broken-sinks.js';
import { RawFileSink } from '../fixtures/raw-file-sink.js';
import { expectBreaks } from '../fixtures/expect-breaks.js';
import { formatViolations } from '../violation.js';
import { SINK_INVARIANTS, checkSink } from './sink-contract.js';

describe('checkSink', () => {
  it('passes the reference sink on every invariant', async () => {
    expect(formatViolations(await checkSink((output) => new RawFileSink(output), { outputName: 'frames.raw' }))).toBe('');
  });

  it.each(SINK_INVARIANTS)('rejects a sink that breaks %s', async (invariant) => {
    const fixture = BROKEN_SINKS[invariant];
    const { create } = fixture;
    const violations = await checkSink(create, { outputName: 'frames.raw' });
    expectBreaks(violations, invariant, fixture);
  });
});
