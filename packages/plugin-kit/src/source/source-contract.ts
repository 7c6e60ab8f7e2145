import type { FrameSource, PixelLayout } from '@upframe/core/plugin';
import { runChecks, type ContractOptions, type ContractSpec, type Violation } from '../violation.js';
import { sourceChecks } from './source-checks.js';

/** Every promise the `FrameSource` contract makes, by the name violations carry. */
export const SOURCE_INVARIANTS = [
  'open-info',
  'indices-contiguous',
  'frame-shape',
  'frame-count',
  'abort-honoured',
  'break-releases',
  'open-error-typed',
  'dispose-idempotent',
] as const;
export type SourceInvariant = (typeof SOURCE_INVARIANTS)[number];

/** Builds a fresh source on the plugin's sample input. */
export type SourceFactory = () => FrameSource | Promise<FrameSource>;

export interface SourceContractOptions extends ContractOptions<SourceInvariant> {
  /** Frames the sample input holds; checked against what `frames()` delivers. */
  readonly expectedFrames?: number;
  /** Size (and layout) of the sample input; checked against `open()` and every frame. */
  readonly expected?: { readonly width: number; readonly height: number; readonly layout?: PixelLayout };
  /** Builds a source on an input it must refuse (missing or corrupt file); enables open-error-typed. */
  readonly badInput?: SourceFactory;
  /** That input's path, which the error must name in its message when it has no `file`. */
  readonly badInputPath?: string;
  /** Stop reading after this many frames (default 1000), so a source that never ends is reported. */
  readonly frameLimit?: number;
}

export interface SourceCheckContext {
  readonly factory: SourceFactory;
  readonly options: SourceContractOptions;
}

export const sourceContract: ContractSpec<SourceInvariant, SourceFactory, SourceContractOptions> = {
  kind: 'FrameSource',
  invariants: SOURCE_INVARIANTS,
  notApplicable(invariant, options) {
    if (invariant === 'open-error-typed' && !options.badInput) return 'no source on a bad input given (options.badInput)';
    return undefined;
  },
  check: (factory, options) => runChecks(sourceContract, sourceChecks, { factory, options }, options),
};

/** Runs the source contract against fresh sources from `factory`; resolves to what is broken (empty when nothing is). */
export function checkSource(factory: SourceFactory, options: SourceContractOptions = {}): Promise<Violation<SourceInvariant>[]> {
  return sourceContract.check(factory, options);
}
