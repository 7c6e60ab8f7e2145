import { describe, it } from 'vitest';
import { backendContract, type BackendContractOptions, type BackendFactory } from './backend/backend-contract.js';
import { dedupeContract, type DedupeContractOptions, type DedupeFactory } from './dedupe/dedupe-contract.js';
import { formatSelectorContract, type FormatSelectorContractOptions, type FormatSelectorFactory } from './format/format-contract.js';
import { sinkContract, type SinkContractOptions, type SinkFactory } from './sink/sink-contract.js';
import { sourceContract, type SourceContractOptions, type SourceFactory } from './source/source-contract.js';
import { DEFAULT_CHECK_TIMEOUT_MS, formatViolations, skipReason, type ContractOptions, type ContractSpec } from './violation.js';

/** Options only the describe wrappers take. */
export interface DescribeOptions {
  /** Added to the suite title, e.g. the plugin and model under test. */
  readonly label?: string;
}

/** The two vitest calls the wrappers make; a seam so the kit can test its own wrappers. */
export interface TestApi {
  describe(title: string, body: () => void): void;
  it(title: string, body: () => Promise<void>, timeoutMs: number): void;
}

const vitest: TestApi = {
  describe: (title, body) => describe(title, body),
  it: (title, body, timeoutMs) => it(title, body, timeoutMs),
};

/**
 * One `describe` per contract and one `it` per invariant, so a report names exactly which
 * promise a plugin breaks. Invariants that do not apply are not declared as tests (a skipped
 * test reads as unfinished work); the suite title names them with the reason instead.
 */
export function describeContract<I extends string, F, O extends ContractOptions<I>>(spec: ContractSpec<I, F, O>, factory: F, options: O & DescribeOptions, api: TestApi = vitest): void {
  // The check's own timeout fires first, so a hanging plugin fails with the kit's message, not vitest's.
  const timeoutMs = (options.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS) + 10_000;
  const notChecked: string[] = [];
  const checked = spec.invariants.filter((invariant) => {
    const reason = skipReason(spec, invariant, options);
    if (reason !== undefined && reason !== 'not selected') notChecked.push(`${invariant}: ${reason}`);
    return reason === undefined;
  });
  const title = `${spec.kind} contract${options.label ? `: ${options.label}` : ''}${notChecked.length ? ` (not checked: ${notChecked.join('; ')})` : ''}`;
  api.describe(title, () => {
    for (const invariant of checked) {
      api.it(
        invariant,
        async () => {
          const violations = await spec.check(factory, { ...options, only: [invariant] });
          if (violations.length) throw new Error(`${spec.kind} ${invariant} is broken:\n${formatViolations(violations)}`);
        },
        timeoutMs,
      );
    }
  });
}

/** The `InferenceBackend` contract as a vitest suite, one test per invariant. `factory` makes a fresh, uninitialized backend. */
export function describeBackendContract(factory: BackendFactory, options: BackendContractOptions & DescribeOptions = {}): void {
  describeContract(backendContract, factory, options);
}

/** The `DedupeStrategy` contract as a vitest suite. `factory` makes a fresh strategy. */
export function describeDedupeContract(factory: DedupeFactory, options: DedupeContractOptions & DescribeOptions = {}): void {
  describeContract(dedupeContract, factory, options);
}

/** The `FormatSelector` contract as a vitest suite. `factory` makes a fresh selector. */
export function describeFormatSelectorContract(factory: FormatSelectorFactory, options: FormatSelectorContractOptions & DescribeOptions = {}): void {
  describeContract(formatSelectorContract, factory, options);
}

/** The `FrameSource` contract as a vitest suite. `factory` makes a fresh source on the plugin's sample input. */
export function describeSourceContract(factory: SourceFactory, options: SourceContractOptions & DescribeOptions = {}): void {
  describeContract(sourceContract, factory, options);
}

/** The `FrameSink` contract as a vitest suite. `factory(output)` makes a fresh sink writing to `output`. */
export function describeSinkContract(factory: SinkFactory, options: SinkContractOptions & DescribeOptions = {}): void {
  describeContract(sinkContract, factory, options);
}
