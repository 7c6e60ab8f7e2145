import type { InjectionToken } from 'tsyringe';
import type { DedupeOptions } from './contracts/dedupe-strategy.js';
import type { FormatSelectorOptions } from './contracts/format-selector.js';
import type { SinkOptions } from './contracts/frame-sink.js';
import type { SourceOptions } from './contracts/frame-source.js';
import type { BackendOptions } from './contracts/inference-backend.js';
import type { Logger } from './logger.js';
import type {
  BackendRegistry,
  DedupeRegistry,
  FormatSelectorRegistry,
  SinkRegistry,
  SourceRegistry,
} from './registry.js';

/**
 * Every DI token upframe uses, as typed symbols. Packages register into the named registries;
 * classes receive their dependencies through `@inject(TOKEN)` on each constructor parameter.
 */
export const TOKENS = {
  /** `Logger` for the run. */
  Logger: Symbol.for('upframe.logger') as InjectionToken<Logger>,
  /** Named registry of inference backends (`onnx`, `tfjs`, plugins). */
  Backends: Symbol.for('upframe.registry.backends') as InjectionToken<BackendRegistry>,
  /** Named registry of dedupe strategies (`off`, `exact`, `near`, plugins). */
  Dedupe: Symbol.for('upframe.registry.dedupe') as InjectionToken<DedupeRegistry>,
  /** Named registry of output format selectors (`auto`, `png`, …, plugins). */
  FormatSelectors: Symbol.for('upframe.registry.format-selectors') as InjectionToken<FormatSelectorRegistry>,
  /** Named registry of frame sources (`video`, `image`, `sequence`). */
  Sources: Symbol.for('upframe.registry.sources') as InjectionToken<SourceRegistry>,
  /** Named registry of frame sinks (`video`, `image`, `sequence`). */
  Sinks: Symbol.for('upframe.registry.sinks') as InjectionToken<SinkRegistry>,
  // One options token per stage, so a constructor's `@inject(TOKENS.XOptions)` parameter has the
  // type the registry's factory was given, and `resolveWith(c, Cls, TOKENS.XOptions, options)` checks it.
  /** Options handed to a backend being created (model, device, threads). */
  BackendOptions: Symbol.for('upframe.backend-options') as InjectionToken<BackendOptions>,
  /** Options handed to a frame source being created (input path, source settings). */
  SourceOptions: Symbol.for('upframe.source-options') as InjectionToken<SourceOptions>,
  /** Options handed to a frame sink being created (output path, overwrite, format selector, encoder settings). */
  SinkOptions: Symbol.for('upframe.sink-options') as InjectionToken<SinkOptions>,
  /** Options handed to a dedupe strategy being created; the strategy validates its own keys. */
  DedupeOptions: Symbol.for('upframe.dedupe-options') as InjectionToken<DedupeOptions>,
  /** Options handed to a format selector being created; the selector validates its own keys. */
  FormatSelectorOptions: Symbol.for('upframe.format-selector-options') as InjectionToken<FormatSelectorOptions>,
} as const;
