import { createHash } from 'node:crypto';
import { xxh32 } from './fast-hash.js';

/** Hashes `exact` can use: `xxh32` (default, fast) or `md5` (node:crypto, slower, 128-bit). */
export const HASH_ALGORITHMS = ['xxh32', 'md5'] as const;
export type HashAlgorithm = (typeof HASH_ALGORITHMS)[number];

/** 32-bit words in each algorithm's digest. */
export const DIGEST_WORDS: Readonly<Record<HashAlgorithm, number>> = { xxh32: 1, md5: 4 };

/** Writes the digest of `data` into `out` (DIGEST_WORDS[algorithm] words). */
export function digestInto(algorithm: HashAlgorithm, data: Uint8Array, out: Uint32Array): void {
  if (algorithm === 'xxh32') {
    out[0] = xxh32(data);
    return;
  }
  const md5 = createHash('md5').update(data).digest();
  for (let k = 0; k < 4; k++) out[k] = md5.readUInt32LE(k * 4);
}
