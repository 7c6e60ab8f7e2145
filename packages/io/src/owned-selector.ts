import { UpframeError, type FormatSelector } from '@upframe/core';

/**
 * The format selector a sink was handed in `SinkOptions.formatSelector`. The sink owns it (the
 * pipeline owns the sink, and the selector is the sink's dependency, not a stage of its own): it is
 * initialized once, before the first `select()`, and disposed once, with the sink, whether or not
 * it was ever used. Sinks call `initialize` from `open()` and `dispose` from their own `dispose()`,
 * which may run more than once.
 */
export class OwnedSelector {
  private initializing?: Promise<void>;
  private disposing?: Promise<void>;

  constructor(readonly selector: FormatSelector | undefined) {}

  initialize(signal?: AbortSignal): Promise<void> {
    const selector = this.selector;
    if (this.disposing) return Promise.reject(new UpframeError('USAGE', `format selector "${selector?.name}" cannot be initialized: its sink was already disposed`));
    if (!selector?.initialize) return Promise.resolve();
    this.initializing ??= selector.initialize(signal);
    return this.initializing;
  }

  dispose(): Promise<void> {
    const selector = this.selector;
    if (!selector) return Promise.resolve();
    // A dispose racing a slow initialize waits for it, so the selector never sees them overlap.
    this.disposing ??= (this.initializing ?? Promise.resolve()).catch(() => undefined).then(() => selector.dispose());
    return this.disposing;
  }
}
