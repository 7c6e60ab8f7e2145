import type { DedupeStrategy, PixelLayout } from '@upframe/core/plugin';
import type { Size } from '../sample-images.js';
import { runChecks, type ContractOptions, type ContractSpec, type Violation } from '../violation.js';
import { dedupeChecks } from './dedupe-checks.js';

/** Every promise the `DedupeStrategy` contract makes, by the name violations carry. */
export const DEDUPE_INVARIANTS = [
  'decision-per-frame',
  'reference-is-latest-inferred',
  'identical-detected',
  'distinct-inferred',
  'deterministic',
  'input-not-mutated',
  'stats-object',
  'dispose-idempotent',
] as const;
export type DedupeInvariant = (typeof DEDUPE_INVARIANTS)[number];

/** Builds a fresh strategy for one run (what a registry entry's `create` does). */
export type DedupeFactory = () => DedupeStrategy | Promise<DedupeStrategy>;

export interface DedupeContractOptions extends ContractOptions<DedupeInvariant> {
  /** The strategy promises to find bit-identical repeats of the reference (like `exact` and `near`); enables identical-detected. */
  readonly detectsIdentical?: boolean;
  /** Same frames, same decisions (default true); false only for a strategy that samples at random. */
  readonly deterministic?: boolean;
  /** Frame sizes to try (default 16×16 and 24×16). */
  readonly sizes?: readonly Size[];
  /** Layouts to try (default rgb24 and rgba). */
  readonly layouts?: readonly PixelLayout[];
}

export interface DedupeCheckContext {
  readonly factory: DedupeFactory;
  readonly options: DedupeContractOptions;
}

export const dedupeContract: ContractSpec<DedupeInvariant, DedupeFactory, DedupeContractOptions> = {
  kind: 'DedupeStrategy',
  invariants: DEDUPE_INVARIANTS,
  notApplicable(invariant, options) {
    if (invariant === 'identical-detected' && !options.detectsIdentical) return 'the strategy does not declare that it finds identical frames (options.detectsIdentical)';
    if (invariant === 'deterministic' && options.deterministic === false) return 'the strategy declares itself non-deterministic';
    return undefined;
  },
  check: (factory, options) => runChecks(dedupeContract, dedupeChecks, { factory, options }, options),
};

/** Runs the dedupe contract against fresh strategies from `factory`; resolves to what is broken (empty when nothing is). */
export function checkDedupe(factory: DedupeFactory, options: DedupeContractOptions = {}): Promise<Violation<DedupeInvariant>[]> {
  return dedupeContract.check(factory, options);
}
