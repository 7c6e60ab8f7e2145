import type { OptionSchema } from '@upframe/core';
import { HASH_ALGORITHMS, type HashAlgorithm } from './frame-hasher.js';
import { booleanOption, enumOption, rejectUnknownOptions } from './option-parsing.js';

export const EXACT_OPTION_KEYS = ['hash', 'verify'] as const;

export interface ExactOptions {
  /** Digest of the decoded pixels compared with the reference's. */
  readonly hash: HashAlgorithm;
  /** Also compare the bytes when digests match, ruling out collisions (keeps a copy of the reference). */
  readonly verify: boolean;
}

export const EXACT_DEFAULTS: ExactOptions = Object.freeze({ hash: 'xxh32', verify: false });

/** What `exact` reads. */
export const EXACT_OPTION_SCHEMA = {
  hash: { type: 'enum', values: HASH_ALGORITHMS, default: EXACT_DEFAULTS.hash, description: 'digest of the decoded pixels compared with the reference\'s' },
  verify: { type: 'boolean', default: EXACT_DEFAULTS.verify, description: 'also compare the bytes when digests match, ruling out collisions' },
} as const satisfies OptionSchema;

export function parseExactOptions(raw: Readonly<Record<string, unknown>> = {}): ExactOptions {
  rejectUnknownOptions('exact', raw, EXACT_OPTION_KEYS);
  return {
    hash: enumOption('exact', raw, 'hash', HASH_ALGORITHMS, EXACT_DEFAULTS.hash),
    verify: booleanOption('exact', raw, 'verify', EXACT_DEFAULTS.verify),
  };
}
