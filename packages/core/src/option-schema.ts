import { UpframeError } from './errors.js';

/**
 * Option schemas: each stage (backend, dedupe strategy, format selector) declares the options it
 * reads, so upframe can check `--backend-opt key=value` and config objects before anything starts
 * and tell the user every key it would have accepted. Import-safe: no DI, no Node built-ins.
 */

/** Value kinds an option can have. `range` is two numbers `low,high` with low < high. */
export const OPTION_TYPES = ['integer', 'number', 'boolean', 'string', 'enum', 'range'] as const;
export type OptionType = (typeof OPTION_TYPES)[number];

/** A parsed option value. */
export type OptionValue = string | number | boolean | readonly [number, number];

/** One option a stage reads. */
export interface OptionSpec {
  readonly type: OptionType;
  /** The allowed values of an `enum`. */
  readonly values?: readonly string[];
  /** Inclusive bounds for `integer` and `number`, and for both ends of a `range`. */
  readonly min?: number;
  readonly max?: number;
  /** One line for help and docs. */
  readonly description: string;
  /** What the stage uses when the option is absent. Documentation only: parsing never fills it in. */
  readonly default?: OptionValue;
}

/** Every option a stage accepts, by key. A stage without one accepts no options. */
export type OptionSchema = Readonly<Record<string, OptionSpec>>;

/** Options after checking: only declared keys, each of its declared type. */
export type ParsedOptions = Record<string, OptionValue>;

/** Where options came from, to make messages point at it. */
export interface OptionSource {
  /** The flag that carried them (`--backend-opt`), for hints. */
  readonly flag?: string;
  /** The config file that held them. */
  readonly file?: string;
}

const BOOLEAN_WORDS: Readonly<Record<string, boolean>> = { true: true, false: false, '1': true, '0': false, yes: true, no: false };
const STRICT_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const STRICT_INTEGER = /^[+-]?\d+$/;

function bounds(spec: OptionSpec): string {
  const { min, max } = spec;
  if (min !== undefined && max !== undefined) return ` ${min}–${max}`;
  if (min !== undefined) return ` ≥ ${min}`;
  if (max !== undefined) return ` ≤ ${max}`;
  return '';
}

/** `maxBatch (integer 1–64)`, `ioLayout (nchw|nhwc)`, `verify (boolean)`. */
export function describeOption(key: string, spec: OptionSpec): string {
  if (spec.type === 'enum') return `${key} (${(spec.values ?? []).join('|')})`;
  if (spec.type === 'range') return `${key} (range low,high${bounds(spec)})`;
  return `${key} (${spec.type}${spec.type === 'integer' || spec.type === 'number' ? bounds(spec) : ''})`;
}

/** Every key of `schema` with its type, or `(none)`. */
export function describeOptionSchema(schema: OptionSchema | undefined): string {
  const keys = Object.entries(schema ?? {});
  return keys.length ? keys.map(([key, spec]) => describeOption(key, spec)).join(', ') : '(none)';
}

function usage(message: string, source: OptionSource, hint: string): UpframeError {
  return new UpframeError('USAGE', source.file ? `${source.file}: ${message}` : message, { file: source.file, hint });
}

function unknownKey(key: string, schema: OptionSchema | undefined, stage: string, source: OptionSource): UpframeError {
  const keys = Object.keys(schema ?? {});
  if (keys.length === 0) {
    return usage(`${stage} declares no options, so "${key}" cannot be set`, source, `Drop ${source.flag ? `${source.flag} ${key}=…` : `"${key}"`}: ${stage} takes none.`);
  }
  const near = keys.find((k) => k.toLowerCase() === key.toLowerCase());
  const example = `${near ?? keys[0]}=…`;
  return usage(
    `unknown option "${key}" for ${stage}; allowed: ${describeOptionSchema(schema)}`,
    source,
    near ? `Option names are case-sensitive: did you mean "${near}"?` : `Use one of the keys above${source.flag ? `, e.g. ${source.flag} ${example}` : ''}.`,
  );
}

function badValue(key: string, spec: OptionSpec, raw: unknown, stage: string, source: OptionSource): UpframeError {
  const expected =
    spec.type === 'enum' ? `one of ${(spec.values ?? []).join(', ')}`
    : spec.type === 'boolean' ? 'true or false (also 1/0, yes/no)'
    : spec.type === 'range' ? `two numbers low,high with low < high${bounds(spec) ? `, each within${bounds(spec)}` : ''}`
    : `${spec.type === 'integer' ? 'an integer' : spec.type === 'number' ? 'a number' : 'a string'}${bounds(spec)}`;
  const shown = typeof raw === 'string' ? `"${raw}"` : JSON.stringify(raw);
  return usage(`option "${key}" for ${stage} must be ${expected}, got ${shown}`, source, `${describeOption(key, spec)}: ${spec.description}`);
}

function inBounds(n: number, spec: OptionSpec): boolean {
  return (spec.min === undefined || n >= spec.min) && (spec.max === undefined || n <= spec.max);
}

/** Converts one value, written as text (CLI) or typed (config), or returns undefined when it does not fit. */
function convert(spec: OptionSpec, raw: unknown): OptionValue | undefined {
  const text = typeof raw === 'string' ? raw.trim() : undefined;
  switch (spec.type) {
    case 'string':
      return typeof raw === 'string' ? raw : undefined;
    case 'enum':
      return typeof raw === 'string' && (spec.values ?? []).includes(raw) ? raw : undefined;
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      return text === undefined ? undefined : BOOLEAN_WORDS[text.toLowerCase()];
    case 'integer':
    case 'number': {
      const n = typeof raw === 'number' ? raw : text !== undefined && (spec.type === 'integer' ? STRICT_INTEGER : STRICT_NUMBER).test(text) ? Number(text) : NaN;
      const ok = Number.isFinite(n) && (spec.type === 'number' || Number.isInteger(n)) && inBounds(n, spec);
      return ok ? n : undefined;
    }
    case 'range': {
      const parts = Array.isArray(raw) ? raw : text !== undefined ? text.split(',').map((p) => p.trim()) : [];
      if (parts.length !== 2) return undefined;
      const [low, high] = parts.map((p) => (typeof p === 'number' ? p : typeof p === 'string' && STRICT_NUMBER.test(p) ? Number(p) : NaN));
      const ok = low !== undefined && high !== undefined && Number.isFinite(low) && Number.isFinite(high) && low < high && inBounds(low, spec) && inBounds(high, spec);
      return ok ? [low, high] : undefined;
    }
  }
}

function checkOne(key: string, raw: unknown, schema: OptionSchema | undefined, stage: string, source: OptionSource): OptionValue {
  const spec = Object.hasOwn(schema ?? {}, key) ? schema?.[key] : undefined;
  if (!spec) throw unknownKey(key, schema, stage, source);
  const value = convert(spec, raw);
  if (value === undefined) throw badValue(key, spec, raw, stage, source);
  return value;
}

/**
 * Parses `key=value` pairs (repeatable CLI flags) against `schema`; a key given twice keeps the
 * last value. `stage` names the stage in messages (`backend onnx`). Throws a `USAGE` error listing
 * every allowed key with its type when a key is unknown or a value does not fit.
 */
export function parseOptionPairs(pairs: readonly string[], schema: OptionSchema | undefined, stage: string, source: OptionSource = {}): ParsedOptions {
  const out: ParsedOptions = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const key = (eq < 0 ? pair : pair.slice(0, eq)).trim();
    if (eq <= 0 || key === '') {
      throw usage(`${source.flag ?? 'an option'} for ${stage} must be key=value, got "${pair}"; allowed: ${describeOptionSchema(schema)}`, source, `Write it as ${source.flag ? `${source.flag} ` : ''}${key || 'key'}=VALUE.`);
    }
    out[key] = checkOne(key, pair.slice(eq + 1), schema, stage, source);
  }
  return out;
}

/**
 * Checks an options object (a config file's) against `schema`: typed values are taken as they
 * are, strings are parsed as on the command line. Returns a new object with only parsed values.
 */
export function checkOptions(raw: unknown, schema: OptionSchema | undefined, stage: string, source: OptionSource = {}): ParsedOptions {
  if (raw === undefined) return {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw usage(`options for ${stage} must be an object of key: value, got ${JSON.stringify(raw)}`, source, `Allowed keys: ${describeOptionSchema(schema)}.`);
  }
  const out: ParsedOptions = {};
  for (const [key, value] of Object.entries(raw)) {
    if (value !== undefined) out[key] = checkOne(key, value, schema, stage, source);
  }
  return out;
}

/** Why `schema` is not a usable option schema (a stage author's mistake), or undefined. */
export function optionSchemaProblem(schema: unknown): string | undefined {
  if (schema === undefined) return undefined;
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return 'options must be an object of { key: { type, description } }';
  for (const [key, spec] of Object.entries(schema as Record<string, Partial<OptionSpec> | null>)) {
    if (!/^[A-Za-z][A-Za-z0-9_.-]*$/.test(key)) return `option key "${key}" must start with a letter and hold only letters, digits, '.', '_' and '-'`;
    if (!spec || !(OPTION_TYPES as readonly unknown[]).includes(spec.type)) return `option "${key}" needs a type, one of ${OPTION_TYPES.join(', ')}`;
    if (spec.type === 'enum' && (!Array.isArray(spec.values) || spec.values.length === 0)) return `enum option "${key}" needs a non-empty values list`;
  }
  return undefined;
}
