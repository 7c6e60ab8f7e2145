import { ERROR_CODES, type ErrorCode } from '@upframe/core/plugin';

// Errors are inspected by shape, never with `instanceof UpframeError`: a plugin may bundle its own
// copy of @upframe/core, whose class is a different object from the kit's, while its `code` is
// the same stable string.

interface ErrorShape {
  readonly code?: unknown;
  readonly plugin?: unknown;
  readonly file?: unknown;
  readonly message?: unknown;
}

/** The error's upframe code when it has one from core's list, else undefined. */
export function upframeCode(error: unknown): ErrorCode | undefined {
  const code = typeof error === 'object' && error !== null ? (error as ErrorShape).code : undefined;
  return typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code) ? (code as ErrorCode) : undefined;
}

/** Undefined when `error` is typed; otherwise a sentence saying what it is instead. */
export function untypedReason(error: unknown, where: string): string | undefined {
  if (upframeCode(error) !== undefined) return undefined;
  const code = typeof error === 'object' && error !== null ? (error as ErrorShape).code : undefined;
  const got = code === undefined ? 'no code' : `code ${JSON.stringify(code)}, which is not an upframe error code`;
  return `${where} threw ${describeError(error)} with ${got}; throw an UpframeError (or any error whose \`code\` is one of core's ERROR_CODES) so the CLI can explain it`;
}

/** The `plugin` an error names, when it names one. */
export function pluginOf(error: unknown): string | undefined {
  const plugin = typeof error === 'object' && error !== null ? (error as ErrorShape).plugin : undefined;
  return typeof plugin === 'string' ? plugin : undefined;
}

/** The `file` an error names, when it names one. */
export function fileOf(error: unknown): string | undefined {
  const file = typeof error === 'object' && error !== null ? (error as ErrorShape).file : undefined;
  return typeof file === 'string' && file.length > 0 ? file : undefined;
}

/** `Name(CODE): message`, short enough for one violation line. */
export function describeError(error: unknown): string {
  if (typeof error !== 'object' || error === null) return `a ${typeof error} (${String(error)})`;
  const { code, message } = error as ErrorShape;
  const name = (error as { name?: unknown }).name;
  const label = `${typeof name === 'string' ? name : 'object'}${typeof code === 'string' ? `(${code})` : ''}`;
  const text = typeof message === 'string' ? message.split('\n')[0]!.slice(0, 200) : '';
  return `${label}: "${text}"`;
}

/**
 * Calls `fn` and settles its result into a value or an error, so a check can look at either.
 * Takes a function because a plugin may throw synchronously instead of rejecting.
 */
export async function attempt<T>(fn: () => Promise<T> | T): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  try {
    return { ok: true, value: await fn() };
  } catch (error) {
    return { ok: false, error };
  }
}
