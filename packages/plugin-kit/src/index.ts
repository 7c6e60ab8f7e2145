export {
  describeBackendContract,
  describeDedupeContract,
  describeFormatSelectorContract,
  describeSourceContract,
  describeSinkContract,
} from './describe-contract.js';
export type { DescribeOptions } from './describe-contract.js';
// The checks themselves, as plain functions: one list, kept in checks.ts (the vitest-free entry).
export * from './checks.js';
