import { describeError } from './typed-error.js';

/** One broken promise of a contract: which invariant, and what the plugin did instead. */
export interface Violation<I extends string = string> {
  readonly invariant: I;
  readonly message: string;
}

/** Options every `check*` and `describe*Contract` takes. */
export interface ContractOptions<I extends string> {
  /** Run only these invariants (default: every one that applies). */
  readonly only?: readonly I[];
  /**
   * Invariants not to run, each with the reason (named in the `describe*Contract` suite title as not checked).
   * For a known, tracked problem; a skip without a reason is not accepted on purpose.
   */
  readonly skip?: Partial<Record<I, string>>;
  /** How long one invariant may take; a plugin that hangs is reported instead of hanging the suite. */
  readonly timeoutMs?: number;
}

export const DEFAULT_CHECK_TIMEOUT_MS = 20_000;

/** A check returns what is wrong, as sentences; an empty list means the invariant holds. */
export type Check<C> = (context: C) => Promise<readonly string[]>;

/** What one kind of contract consists of; the describe wrappers and the `check*` functions share it. */
export interface ContractSpec<I extends string, F, O extends ContractOptions<I>> {
  /** The contract's interface name in `@upframe/core`, for test titles. */
  readonly kind: string;
  readonly invariants: readonly I[];
  /** Why `invariant` does not apply under `options` (e.g. determinism not declared), or undefined. */
  notApplicable(invariant: I, options: O): string | undefined;
  check(factory: F, options: O): Promise<Violation<I>[]>;
}

/** The reason an invariant is not run, or undefined when it runs. */
export function skipReason<I extends string, O extends ContractOptions<I>>(spec: Pick<ContractSpec<I, unknown, O>, 'notApplicable'>, invariant: I, options: O): string | undefined {
  if (options.only && !options.only.includes(invariant)) return 'not selected';
  return options.skip?.[invariant] ?? spec.notApplicable(invariant, options);
}

/**
 * Runs each applicable check in turn. A check that throws (the plugin failed where the check did
 * not expect it) or times out becomes a violation of that invariant rather than an exception, so
 * one broken behaviour never hides the others.
 */
export async function runChecks<I extends string, C, O extends ContractOptions<I>>(
  spec: Pick<ContractSpec<I, unknown, O>, 'invariants' | 'notApplicable'>,
  checks: Record<I, Check<C>>,
  context: C,
  options: O,
): Promise<Violation<I>[]> {
  const violations: Violation<I>[] = [];
  const ms = options.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  for (const invariant of spec.invariants) {
    if (skipReason(spec, invariant, options) !== undefined) continue;
    try {
      const problems = await within(checks[invariant](context), ms);
      violations.push(...problems.map((message) => ({ invariant, message })));
    } catch (error) {
      violations.push({ invariant, message: `could not be checked: ${describeError(error)}` });
    }
  }
  return violations;
}

/** Rejects when `promise` has not settled after `ms`; the timer never keeps the process alive. */
export function within<T>(promise: Promise<T>, ms: number, what = 'the check'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms (a call into the plugin never settled)`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** `invariant: message` lines, for assertion failures a person can read. */
export function formatViolations(violations: readonly Violation[]): string {
  return violations.map((v) => `${v.invariant}: ${v.message}`).join('\n');
}
