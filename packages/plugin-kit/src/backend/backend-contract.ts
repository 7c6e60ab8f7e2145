import type { InferenceBackend } from '@upframe/core/plugin';
import type { Size } from '../sample-images.js';
import { runChecks, type Check, type ContractOptions, type ContractSpec, type Violation } from '../violation.js';
import { bufferChecks } from './buffer-checks.js';
import { errorChecks } from './error-checks.js';
import { outputChecks } from './output-checks.js';
import type { BackendCheckContext } from './started-backend.js';

/** Every promise the `InferenceBackend` contract makes, by the name violations carry. */
export const BACKEND_INVARIANTS = [
  'output-count',
  'output-order',
  'output-size',
  'output-layout',
  'value-range',
  'depth-16',
  'batch-sizes',
  'concurrent-runs',
  'abort-honoured',
  'typed-errors',
  'error-plugin-name',
  'dispose-idempotent',
  'dispose-uninitialized',
  'input-not-retained',
  'input-not-mutated',
  'output-not-reused',
  'deterministic',
  'info-consistent',
] as const;
export type BackendInvariant = (typeof BACKEND_INVARIANTS)[number];

/** Builds a fresh, uninitialized backend; called once per invariant so no check sees another's state. */
export type BackendFactory = () => InferenceBackend | Promise<InferenceBackend>;

export interface BackendContractOptions extends ContractOptions<BackendInvariant> {
  /** The upscale factor the plugin should have; default: whatever `scale` says (then only consistency is checked). */
  readonly scale?: number;
  /** The `maxBatch` the plugin means to declare in `capabilities()`. */
  readonly maxBatch?: number;
  /** Largest batch actually run (default 8), so `maxBatch: 64` or `Infinity` stays quick. */
  readonly batchLimit?: number;
  /** The plugin promises identical output for identical input; enables `deterministic`. */
  readonly deterministic?: boolean;
  /** Input sizes to try (default 8×8 and 12×8; the non-square one catches swapped axes). Keep them tiny. */
  readonly sizes?: readonly Size[];
  /** Largest per-byte difference tolerated between runs that should agree (default 0). */
  readonly tolerance?: number;
  /** How far a flat colour's channel means may move through the model (default 32 of 255). */
  readonly colourTolerance?: number;
  /** Builds an instance whose `initialize()` must fail (unknown model, absent device), to check that error. */
  readonly failingFactory?: BackendFactory;
}

const CHECKS: Record<BackendInvariant, Check<BackendCheckContext>> = { ...outputChecks, ...bufferChecks, ...errorChecks };

export const backendContract: ContractSpec<BackendInvariant, BackendFactory, BackendContractOptions> = {
  kind: 'InferenceBackend',
  invariants: BACKEND_INVARIANTS,
  notApplicable(invariant, options) {
    if (invariant === 'deterministic' && !options.deterministic) return 'the plugin does not declare itself deterministic (options.deterministic)';
    return undefined;
  },
  check: (factory, options) => runChecks(backendContract, CHECKS, { factory, options }, options),
};

/** Runs the backend contract against fresh instances from `factory`; resolves to what is broken (empty when nothing is). */
export function checkBackend(factory: BackendFactory, options: BackendContractOptions = {}): Promise<Violation<BackendInvariant>[]> {
  return backendContract.check(factory, options);
}
