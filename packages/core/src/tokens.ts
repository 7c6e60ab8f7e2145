import type { InjectionToken } from 'tsyringe';
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
  /** Options handed to a backend being created (model, device, threads). */
  BackendOptions: Symbol.for('upframe.backend-options') as InjectionToken<BackendOptions>,
  /** Options object handed to a dedupe strategy, format selector, source or sink being created. */
  StageOptions: Symbol.for('upframe.stage-options') as InjectionToken<Readonly<Record<string, unknown>>>,
} as const;
