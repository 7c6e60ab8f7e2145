import type { FormatSelector } from '@upframe/core/plugin';
import type { Size } from '../sample-images.js';
import { runChecks, type ContractOptions, type ContractSpec, type Violation } from '../violation.js';
import { formatChecks } from './format-checks.js';

/** Every promise the `FormatSelector` contract makes, by the name violations carry. */
export const FORMAT_SELECTOR_INVARIANTS = [
  'choice-shape',
  'supported-format',
  'lossless-when-required',
  'lossless-honest',
  'sequence-stable',
  'deterministic',
  'summary-string',
  'dispose-idempotent',
] as const;
export type FormatSelectorInvariant = (typeof FORMAT_SELECTOR_INVARIANTS)[number];

/** Builds a fresh selector for one sequence. */
export type FormatSelectorFactory = () => FormatSelector | Promise<FormatSelector>;

export interface FormatSelectorContractOptions extends ContractOptions<FormatSelectorInvariant> {
  /** The selector, as configured by the factory, must only choose lossless encodings (e.g. `auto` without `lossy`). */
  readonly requiresLossless?: boolean;
  /** The selector decides each frame on its own; disables sequence-stable. */
  readonly perFrame?: boolean;
  /** Frame sizes to try (default 16×16 and 24×16). */
  readonly sizes?: readonly Size[];
  /** Channels of the frames (default 3; 4 adds an opaque alpha channel). */
  readonly channels?: 3 | 4;
}

export interface FormatCheckContext {
  readonly factory: FormatSelectorFactory;
  readonly options: FormatSelectorContractOptions;
}

export const formatSelectorContract: ContractSpec<FormatSelectorInvariant, FormatSelectorFactory, FormatSelectorContractOptions> = {
  kind: 'FormatSelector',
  invariants: FORMAT_SELECTOR_INVARIANTS,
  notApplicable(invariant, options) {
    if (invariant === 'lossless-when-required' && !options.requiresLossless) return 'the selector is not configured to require lossless output (options.requiresLossless)';
    if (invariant === 'sequence-stable' && options.perFrame) return 'the selector decides per frame (options.perFrame)';
    return undefined;
  },
  check: (factory, options) => runChecks(formatSelectorContract, formatChecks, { factory, options }, options),
};

/** Runs the format selector contract against fresh selectors from `factory`; resolves to what is broken (empty when nothing is). */
export function checkFormatSelector(factory: FormatSelectorFactory, options: FormatSelectorContractOptions = {}): Promise<Violation<FormatSelectorInvariant>[]> {
  return formatSelectorContract.check(factory, options);
}
