import type { FrameSink, PixelLayout, SourceInfo } from '@upframe/core/plugin';
import type { Size } from '../sample-images.js';
import { runChecks, type ContractOptions, type ContractSpec, type Violation } from '../violation.js';
import { sinkChecks } from './sink-checks.js';

/** Every promise the `FrameSink` contract makes, by the name violations carry. */
export const SINK_INVARIANTS = ['frames-written', 'output-in-place', 'no-temp-left', 'abort-leaves-nothing', 'write-before-open', 'dispose-idempotent'] as const;
export type SinkInvariant = (typeof SINK_INVARIANTS)[number];

/** Builds a fresh sink writing to `output`, a path inside an empty temporary folder the kit made for this check. */
export type SinkFactory = (output: string) => FrameSink | Promise<FrameSink>;

export interface SinkContractOptions extends ContractOptions<SinkInvariant> {
  /** Frames written per run (default 3). */
  readonly frames?: number;
  /** Size of the (upscaled) frames the sink receives (default 16×12). */
  readonly size?: Size;
  readonly layout?: PixelLayout;
  /** Upscale factor told to `open()` (default 2); the source size is `size / scale`. */
  readonly scale?: number;
  /** Name of the output inside the temporary folder, with the extension the sink expects (default `out`). */
  readonly outputName?: string;
  /** Merged into the `SourceInfo` handed to `open()`, for sinks that need a real input (`path`, `details`). */
  readonly source?: Partial<SourceInfo>;
}

export interface SinkCheckContext {
  readonly factory: SinkFactory;
  readonly options: SinkContractOptions;
}

export const sinkContract: ContractSpec<SinkInvariant, SinkFactory, SinkContractOptions> = {
  kind: 'FrameSink',
  invariants: SINK_INVARIANTS,
  notApplicable: () => undefined,
  check: (factory, options) => runChecks(sinkContract, sinkChecks, { factory, options }, options),
};

/** Runs the sink contract against fresh sinks from `factory`; resolves to what is broken (empty when nothing is). */
export function checkSink(factory: SinkFactory, options: SinkContractOptions = {}): Promise<Violation<SinkInvariant>[]> {
  return sinkContract.check(factory, options);
}
