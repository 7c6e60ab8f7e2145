import type { DamagedRange } from './timestamp-gaps.js';

/**
 * Typed errors. Every error upframe raises on purpose is an {@link UpframeError} with a
 * stable `code` that scripts can switch on; `cause` keeps the underlying error and `plugin`
 * names the plugin it came out of.
 */

export const ERROR_CODES = [
  'USAGE',
  'INPUT_NOT_FOUND',
  'INPUT_INVALID',
  'INPUT_UNSUPPORTED',
  'INPUT_DAMAGED',
  'OUTPUT_EXISTS',
  'OUTPUT_SAME_AS_INPUT',
  'OUTPUT_FAILED',
  'RESUME_MISMATCH',
  'DISK_FULL',
  'SEQUENCE_INVALID',
  'ORDER_VIOLATION',
  'VALIDATION_FAILED',
  'UNKNOWN_NAME',
  'PLUGIN_LOAD_FAILED',
  'BACKEND_INIT_FAILED',
  'BACKEND_UNAVAILABLE',
  'DEVICE_UNAVAILABLE',
  'MODEL_NOT_FOUND',
  'MODEL_INVALID',
  'MODEL_UNSUPPORTED_LAYER',
  'MODEL_INPUT_MISMATCH',
  'INFERENCE_FAILED',
  'OUT_OF_MEMORY',
  'FFMPEG_NOT_FOUND',
  'FFMPEG_FAILED',
  'STAGE_FAILED',
  'CANCELLED',
  'LIMIT_EXCEEDED',
  'JOB_INVALID',
  'PATH_OUTSIDE_ROOT',
  'QUEUE_UNAVAILABLE',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface UpframeErrorOptions {
  cause?: unknown;
  /** Name of the plugin (backend, dedupe strategy, selector, source, sink) the error left. */
  plugin?: string;
  /** File the error is about, when there is one. */
  file?: string;
  /** What the person at the terminal can do next. */
  hint?: string;
}

/**
 * Marks every upframe error. `Symbol.for` is shared by all copies of `@upframe/core` in a
 * process, so a plugin that bundles or installs its own copy still throws errors the host
 * recognises (an `instanceof` check against one copy's class would miss them).
 */
export const UPFRAME_ERROR_BRAND: unique symbol = Symbol.for('upframe.error');

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

export class UpframeError extends Error {
  /**
   * `x instanceof UpframeError` checks the brand, so it also holds for errors made by another
   * copy of core. Subclasses keep the ordinary prototype check.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== UpframeError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return isUpframeError(value);
  }

  readonly code: ErrorCode;
  readonly plugin?: string;
  readonly file?: string;
  readonly hint?: string;

  constructor(code: ErrorCode, message: string, options: UpframeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UpframeError';
    this.code = code;
    this.plugin = options.plugin;
    this.file = options.file;
    this.hint = options.hint;
  }
}
// On the prototype and not enumerable: instances carry it without it showing up in JSON or diffs.
Object.defineProperty(UpframeError.prototype, UPFRAME_ERROR_BRAND, { value: true });

/** Raised when the frame order contract is broken (repeated index, index behind the window). */
export class OrderViolationError extends UpframeError {
  constructor(message: string, readonly index: number) {
    super('ORDER_VIOLATION', message);
    this.name = 'OrderViolationError';
  }
}

/** A frame sequence that fails validation; `missing` lists absent indices (all of them). */
export class SequenceValidationError extends UpframeError {
  readonly missing: readonly number[];
  readonly problems: readonly string[];

  constructor(
    message: string,
    details: { missing?: readonly number[]; problems?: readonly string[]; file?: string; code?: ErrorCode },
  ) {
    super(details.code ?? 'SEQUENCE_INVALID', message, { file: details.file });
    this.name = 'SequenceValidationError';
    this.missing = details.missing ?? [];
    this.problems = details.problems ?? [];
  }
}

/** Frames the decoder could not deliver, located by timestamp; `ranges` names each run of them. */
export class DamagedInputError extends UpframeError {
  constructor(message: string, readonly ranges: readonly DamagedRange[], file?: string) {
    super('INPUT_DAMAGED', message, {
      file,
      hint:
        'Re-download or re-encode the input if you can. Or run with --accept-damaged (pipeline option acceptDamaged) to upscale the frames that decode: ' +
        'the output keeps a gap in its timing where the lost frames were, and the warnings and the report list every damaged range ' +
        '(without it the run stops at the first one, so later damage is not listed).',
    });
    this.name = 'DamagedInputError';
  }
}

/**
 * The backend ran out of memory on a frame even at the smallest setting the recovery tries
 * (batch 1, the smallest tile); `tried` lists every setting, largest first.
 */
export class OutOfMemoryError extends UpframeError {
  constructor(readonly frameIndex: number, readonly tried: readonly string[], cause: unknown) {
    const why = (cause instanceof Error ? cause.message : String(cause)).split('\n')[0];
    super('OUT_OF_MEMORY', `frame ${frameIndex}: out of memory even at ${tried[tried.length - 1]} (tried ${tried.join('; ')}): ${why}`, {
      cause,
      hint:
        'Free memory on the device (close other programs using the GPU), run on another device (--device cpu) or choose a smaller model. ' +
        'Frames already committed are kept: rerun the same command to carry on from there.',
    });
    this.name = 'OutOfMemoryError';
  }
}

export const PIPELINE_STAGES = ['decode', 'dedupe', 'infer', 'reorder', 'encode', 'validate'] as const;
export type PipelineStage = (typeof PIPELINE_STAGES)[number];

/** The first error of a run, tagged with the stage, frame and plugin it came from. */
export class StageError extends UpframeError {
  constructor(
    readonly stage: PipelineStage,
    readonly frameIndex: number | undefined,
    plugin: string | undefined,
    cause: unknown,
  ) {
    const inner = cause instanceof Error ? cause.message : String(cause);
    const where = [
      `stage ${stage}`,
      frameIndex === undefined ? undefined : `frame ${frameIndex}`,
      plugin === undefined ? undefined : `plugin ${plugin}`,
    ]
      .filter(Boolean)
      .join(', ');
    super(isUpframeError(cause, 'CANCELLED') ? 'CANCELLED' : 'STAGE_FAILED', `${where}: ${inner}`, {
      cause,
      plugin,
      file: isUpframeError(cause) ? cause.file : undefined,
      hint: isUpframeError(cause) ? cause.hint : undefined,
    });
    this.name = 'StageError';
  }
}

export const PLUGIN_SHAPE_HINT =
  "A plugin module must default-export definePlugin({ name, apiVersion, register(host, options) }) from '@upframe/core/plugin'. See docs/plugins.md.";

export class PluginLoadError extends UpframeError {
  /** `hint` replaces the default one (about the export shape) when the problem is elsewhere. */
  constructor(readonly moduleId: string, reason: string, cause?: unknown, options: { hint?: string; plugin?: string } = {}) {
    super('PLUGIN_LOAD_FAILED', `cannot load plugin "${moduleId}": ${reason}`, {
      cause,
      plugin: options.plugin ?? moduleId,
      hint: options.hint ?? PLUGIN_SHAPE_HINT,
    });
    this.name = 'PluginLoadError';
  }
}

/**
 * Wraps anything thrown by a plugin so it carries the plugin's name. Upframe errors (from any
 * copy of core) pass through; a plain error whose `code` is one of {@link ERROR_CODES} keeps
 * it, so a plugin need not import core at run time to fail with a meaningful code.
 */
export function tagPluginError(plugin: string, error: unknown): UpframeError {
  if (isUpframeError(error)) {
    if (error.plugin === undefined) (error as { plugin?: string }).plugin = plugin;
    return error;
  }
  const thrown = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; hint?: unknown; file?: unknown };
  const message = error instanceof Error ? error.message : String(error);
  return new UpframeError(isErrorCode(thrown.code) ? thrown.code : 'INTERNAL', `[${plugin}] ${message}`, {
    cause: error,
    plugin,
    hint: typeof thrown.hint === 'string' ? thrown.hint : undefined,
    file: typeof thrown.file === 'string' ? thrown.file : undefined,
  });
}

export function cancelledError(reason?: unknown): UpframeError {
  const why = reason instanceof Error ? reason.message : reason === undefined ? 'aborted' : String(reason);
  return new UpframeError('CANCELLED', `run cancelled (${why})`, { cause: reason });
}

/** True for an upframe error from any copy of core (by brand), optionally with one `code`. */
export function isUpframeError(error: unknown, code?: ErrorCode): error is UpframeError {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as Record<symbol, unknown>)[UPFRAME_ERROR_BRAND] === true &&
    (code === undefined || (error as { code?: unknown }).code === code)
  );
}
