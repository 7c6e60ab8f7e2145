import { UpframeError } from '@upframe/core';

// Options reach a strategy as an untyped record (from the CLI, a config file or code), so every
// value is checked here and errors name the strategy, the option and what is allowed. Numbers
// and booleans may arrive as strings from the command line ("hi=512", "verify=true").

type Raw = Readonly<Record<string, unknown>>;

function usage(strategy: string, message: string, hint: string): UpframeError {
  return new UpframeError('USAGE', `dedupe strategy "${strategy}": ${message}`, { plugin: strategy, hint });
}

/** Throws when `raw` holds a key outside `allowed`, listing the allowed keys. */
export function rejectUnknownOptions(strategy: string, raw: Raw, allowed: readonly string[]): void {
  for (const key of Object.keys(raw)) {
    if (raw[key] !== undefined && !allowed.includes(key)) {
      const list = allowed.length ? allowed.join(', ') : '(none)';
      throw usage(strategy, `unknown option "${key}"; allowed: ${list}`, `Use one of: ${list}.`);
    }
  }
}

export interface NumberRule {
  readonly min: number;
  readonly max: number;
  readonly integer?: boolean;
}

/** A number in [min, max] (an integer when asked), or `fallback` when the option is absent. */
export function numberOption(strategy: string, raw: Raw, key: string, rule: NumberRule, fallback: number): number {
  const value = raw[key];
  if (value === undefined) return fallback;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  const range = `${rule.integer ? 'an integer' : 'a number'} from ${rule.min} to ${rule.max}`;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < rule.min || n > rule.max || (rule.integer && !Number.isInteger(n))) {
    throw usage(strategy, `option "${key}" must be ${range}, got ${JSON.stringify(value)}`, `Set ${key} to ${range}.`);
  }
  return n;
}

/** One of `allowed`, or `fallback` when the option is absent. */
export function enumOption<T extends string>(strategy: string, raw: Raw, key: string, allowed: readonly T[], fallback: T): T {
  const value = raw[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw usage(strategy, `option "${key}" must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`, `Use ${key}=${allowed[0]}.`);
  }
  return value as T;
}

/** A boolean (or "true"/"false"), or `fallback` when the option is absent. */
export function booleanOption(strategy: string, raw: Raw, key: string, fallback: boolean): boolean {
  const value = raw[key];
  if (value === undefined) return fallback;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw usage(strategy, `option "${key}" must be true or false, got ${JSON.stringify(value)}`, `Use ${key}=true or ${key}=false.`);
}
