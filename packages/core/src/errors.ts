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
  'OUTPUT_EXISTS',
  'OUTPUT_SAME_AS_INPUT',
  'OUTPUT_FAILED',
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
  'FFMPEG_NOT_FOUND',
  'FFMPEG_FAILED',
  'STAGE_FAILED',
  'CANCELLED',
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

export class UpframeError extends Error {
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
    super(cause instanceof UpframeError && cause.code === 'CANCELLED' ? 'CANCELLED' : 'STAGE_FAILED', `${where}: ${inner}`, {
      cause,
      plugin,
      file: cause instanceof UpframeError ? cause.file : undefined,
      hint: cause instanceof UpframeError ? cause.hint : undefined,
    });
    this.name = 'StageError';
  }
}

export class PluginLoadError extends UpframeError {
  constructor(readonly moduleId: string, reason: string, cause?: unknown) {
    super('PLUGIN_LOAD_FAILED', `cannot load plugin "${moduleId}": ${reason}`, {
      cause,
      plugin: moduleId,
      hint: 'A plugin module must default-export { name: string, register(container, options) }. See docs/plugins.md.',
    });
    this.name = 'PluginLoadError';
  }
}

/** Wraps anything thrown by a plugin so it carries the plugin's name; typed errors keep their code. */
export function tagPluginError(plugin: string, error: unknown): UpframeError {
  if (error instanceof UpframeError) {
    if (error.plugin === undefined) (error as { plugin?: string }).plugin = plugin;
    return error;
  }
  const message = error instanceof Error ? error.message : String(error);
  return new UpframeError('INTERNAL', `[${plugin}] ${message}`, { cause: error, plugin });
}

export function cancelledError(reason?: unknown): UpframeError {
  const why = reason instanceof Error ? reason.message : reason === undefined ? 'aborted' : String(reason);
  return new UpframeError('CANCELLED', `run cancelled (${why})`, { cause: reason });
}

export function isUpframeError(error: unknown, code?: ErrorCode): error is UpframeError {
  return error instanceof UpframeError && (code === undefined || error.code === code);
}
