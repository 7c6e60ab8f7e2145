import { UpframeError } from '@upframe/core';

// Options reach a selector from code (typed values) or from the CLI (strings such as "80" or
// "true"); both are accepted, anything else is a USAGE error that names the allowed values.
// `owner` is the selector's registered name; errors carry it as their plugin.

/** Throws when `raw` holds a key outside `allowed`, listing the allowed keys. */
export function checkKeys(owner: string, raw: Readonly<Record<string, unknown>>, allowed: readonly string[], hint?: string): void {
  for (const key of Object.keys(raw)) {
    if (raw[key] === undefined || allowed.includes(key)) continue;
    throw new UpframeError('USAGE', `unknown option "${key}" for format selector ${owner}; allowed: ${allowed.join(', ') || '(none)'}`, { plugin: owner, hint });
  }
}

export function readBoolean(owner: string, key: string, value: unknown): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new UpframeError('USAGE', `option "${key}" of format selector ${owner} must be true or false, got ${show(value)}`, { plugin: owner });
}

export function readInteger(owner: string, key: string, value: unknown, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max) return n;
  throw new UpframeError('USAGE', `option "${key}" of format selector ${owner} must be an integer from ${min} to ${max}, got ${show(value)}`, { plugin: owner });
}

export function readChoice<T extends string>(owner: string, key: string, value: unknown, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new UpframeError('USAGE', `option "${key}" of format selector ${owner} must be one of: ${allowed.join(', ')}; got ${show(value)}`, { plugin: owner });
}

function show(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : String(value);
}
