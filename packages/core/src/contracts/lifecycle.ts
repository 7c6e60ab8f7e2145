/** Explicit lifecycle shared by every stage: `initialize` before first use, `dispose` exactly once after. */
export interface Lifecycle {
  /** Acquire resources (load native runtimes, open files, spawn processes). Called once, before any work. */
  initialize?(signal?: AbortSignal): Promise<void>;
  /** Release every resource. Safe to call after a failed or partial `initialize`, and more than once. */
  dispose(): Promise<void>;
}
