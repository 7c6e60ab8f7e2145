export {
  describeBackendContract,
  describeDedupeContract,
  describeFormatSelectorContract,
  describeSourceContract,
  describeSinkContract,
} from './describe-contract.js';
export type { DescribeOptions } from './describe-contract.js';
export { BACKEND_INVARIANTS, checkBackend } from './backend/backend-contract.js';
export type { BackendContractOptions, BackendFactory, BackendInvariant } from './backend/backend-contract.js';
export { DEDUPE_INVARIANTS, checkDedupe } from './dedupe/dedupe-contract.js';
export type { DedupeContractOptions, DedupeFactory, DedupeInvariant } from './dedupe/dedupe-contract.js';
export { FORMAT_SELECTOR_INVARIANTS, checkFormatSelector } from './format/format-contract.js';
export type { FormatSelectorContractOptions, FormatSelectorFactory, FormatSelectorInvariant } from './format/format-contract.js';
export { SOURCE_INVARIANTS, checkSource } from './source/source-contract.js';
export type { SourceContractOptions, SourceFactory, SourceInvariant } from './source/source-contract.js';
export { SINK_INVARIANTS, checkSink } from './sink/sink-contract.js';
export type { SinkContractOptions, SinkFactory, SinkInvariant } from './sink/sink-contract.js';
export { DEFAULT_CHECK_TIMEOUT_MS, formatViolations } from './violation.js';
export type { ContractOptions, Violation } from './violation.js';
export type { Size } from './sample-images.js';
