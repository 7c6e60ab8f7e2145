import { describe, expect, it } from 'vitest';
import { checkOptions, isUpframeError, parseOptionPairs, TOKENS } from '@upframe/core';
import { EXACT_OPTION_KEYS, parseExactOptions } from './exact-options.js';
import { NEAR_OPTION_KEYS, parseNearOptions } from './near-options.js';
import { testContainer } from './test-support/run-strategy.js';

// The schemas are what the CLI checks `--dedupe-opt` and config `dedupeOptions` against before a
// run; the strategies' own parsers check again when built from code. Both must agree.

function schemaOf(name: string) {
  return testContainer().container.resolve(TOKENS.Dedupe).get(name).options;
}

const rejects = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return isUpframeError(error, 'USAGE');
  }
  return false;
};

describe('dedupe option schemas', () => {
  it('declare every option each strategy reads, and off declares none', () => {
    expect(Object.keys(schemaOf('near') ?? {})).toEqual([...NEAR_OPTION_KEYS]);
    expect(Object.keys(schemaOf('exact') ?? {})).toEqual([...EXACT_OPTION_KEYS]);
    expect(schemaOf('off')).toBeUndefined();
    expect(() => parseOptionPairs(['hi=1'], schemaOf('off'), 'dedupe strategy off')).toThrow('dedupe strategy off declares no options');
  });

  it.each([...NEAR_OPTION_KEYS])('near %s: the schema\'s bounds are the strategy\'s bounds', (key) => {
    const spec = schemaOf('near')![key]!;
    const step = spec.type === 'integer' ? 1 : 0.001;
    for (const edge of [spec.min!, spec.max!]) {
      expect(parseNearOptions(checkOptions({ [key]: edge }, schemaOf('near'), 'near'))[key as keyof ReturnType<typeof parseNearOptions>]).toBe(edge);
    }
    for (const outside of [spec.min! - step, spec.max! + step]) {
      expect(rejects(() => checkOptions({ [key]: outside }, schemaOf('near'), 'near'))).toBe(true);
      expect(rejects(() => parseNearOptions({ [key]: outside }))).toBe(true);
    }
    expect(spec.default).toBe(parseNearOptions({})[key as keyof ReturnType<typeof parseNearOptions>]);
  });

  it('exact: hash values and verify parse into what the strategy accepts', () => {
    const parsed = parseOptionPairs(['hash=md5', 'verify=yes'], schemaOf('exact'), 'dedupe strategy exact');
    expect(parseExactOptions(parsed)).toEqual({ hash: 'md5', verify: true });
    expect(rejects(() => parseOptionPairs(['hash=sha1'], schemaOf('exact'), 'dedupe strategy exact'))).toBe(true);
  });
});
